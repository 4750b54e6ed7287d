import ArgumentParser
import DriftCore

/// `driftwatch demo`: the Quick start's first command. Runs the agent on the car-loan model (NannyML's
/// synthetic car-loan data: real covariate shift): the monitored period's predictions and labels are
/// streamed to it, and its 30-day windows' drift and realized F1 are printed from the stored time series.
/// Then the offline comparison of the two periods is printed and written as a self-contained HTML report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: the agent on the car-loan model, then the offline drift report.")

    @Option(help: "The demo agent's configuration.")
    var config = "Examples/car_loan/driftwatch.yaml"

    @Flag(help: "Skip the agent part (offline comparison only).")
    var offlineOnly = false

    @Option(help: "Folder holding car_loan_reference.csv.gz and car_loan_analysis.csv.gz.")
    var dataDir = "Examples/car_loan"

    @Option(help: "Where to write the HTML report.")
    var output = "report.html"

    func run() async throws {
        if !offlineOnly { try await AgentDemo(configPath: config, dataDir: dataDir).run() }
        FileHandleOutput.standardOutput("\n== Offline: the whole monitored period against the reference ==\n\n")
        let columns = [
            "car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car",
            "size_of_downpayment", "driver_tenure", "y_pred_proba",
        ]
        var options = DriftOptions()
        options.methods = nil
        var job = DriftJob(
            referencePath: dataDir + "/car_loan_reference.csv.gz", currentPath: dataDir + "/car_loan_analysis.csv.gz",
            columns: columns, categorical: ["repaid_loan_on_prev_car", "size_of_downpayment", "salary_range"],
            options: options, threads: 0)
        job.distributions = true
        let result = try job.run()
        FileHandleOutput.standardOutput(
            "Driftwatch demo: car-loan reference period (2018) vs monitored period (2018-10 → 2019-08)\n\n")
        FileHandleOutput.standardOutput(DriftTextFormatter.format(result.comparison))
        try OutputWriter.write(DriftHTMLFormatter.format(result.report), to: output)
        FileHandleOutput.standardOutput(
            """

            Report written to \(output).
            Try your own data:  driftwatch drift --reference train.csv --current today.csv --format json
            Score a prediction log:  driftwatch metrics --input predictions.csv --label y_true --prediction y_pred

            """)
    }
}
