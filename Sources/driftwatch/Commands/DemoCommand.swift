import ArgumentParser
import DriftCore
import DriftTables
import Foundation

/// `driftwatch demo`: the Quick start's first command. Shows the whole loop on NannyML's synthetic car-loan
/// data (real covariate shift, late labels): an embedded PostgreSQL and the agent with its services, a local
/// webhook receiver, the built-in trainer's first champion, the monitored period replayed in accelerated
/// event time through `/predict` with labels arriving late, alerts delivered, retraining, and the report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: the agent monitors, alerts on and retrains the car-loan model in accelerated time.",
        discussion: """
            The agent (embedded PostgreSQL, HTTP API, window closer, webhook sender, retraining worker) runs in \
            this process with the demo configuration, and a webhook receiver prints every notification it gets. \
            The reference period trains the first champion; the monitored period (2018-10-30 → 2019-08-29) is \
            replayed through POST /v1/models/car_loan/predict in event time, accelerated, its labels sent \
            --label-delay days later. The end writes the agent's model report and prints what happened. Ctrl-C \
            stops everything cleanly. The demo's database tables are reset at every run.
            """)

    @Option(help: "The demo's configuration.")
    var config = "Config/demo.yaml"

    @Option(help: "Folder holding the car-loan files (car_loan_reference.csv.gz, car_loan_analysis*.csv.gz).")
    var dataDir = "Examples/car_loan"

    @Option(help: "Where to write the model report (HTML).")
    var output = "report.html"

    @Option(help: "Simulated days per second of the replay.")
    var speed = 2.0

    @Option(help: "Days between a prediction and the arrival of its label.")
    var labelDelay = 3.0

    @Option(help: "Replay only the events before this date (YYYY-MM-DD): a shorter demo.")
    var until: String?

    @Option(help: "The agent's port (default: the configuration's).")
    var port: Int?

    @Flag(help: "Leave the agent running after the summary, for exploring its API (Ctrl-C stops it).")
    var keepRunning = false

    func validate() throws {
        guard speed > 0, speed <= 10_000 else { throw ValidationError("--speed must be in (0, 10000] days per second") }
        guard labelDelay >= 0, labelDelay <= 365 else { throw ValidationError("--label-delay must be 0 to 365 days") }
        if let until, untilMicroseconds == nil {
            throw ValidationError("--until expects a date, YYYY-MM-DD (got \(until))")
        }
        if let port, !(1...65_535).contains(port) { throw ValidationError("--port must be 1 to 65535") }
    }

    var untilMicroseconds: Int64? { until.flatMap { RFC3339.microseconds($0 + "T00:00:00Z") } }

    func run() async throws {
        try await DemoAgent(command: self).run()
    }
}
