import ArgumentParser
import DriftCore

/// `driftwatch demo`: the Quick start's first command. Compares the car-loan reference period with the
/// monitored period (real covariate shift from NannyML's synthetic car-loan data), prints the result and
/// writes a self-contained HTML report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo: drift between the car-loan reference and monitored periods.")

    @Option(help: "Folder holding car_loan_reference.csv.gz and car_loan_analysis.csv.gz.")
    var dataDir = "Examples/car_loan"

    @Option(help: "Where to write the HTML report.")
    var output = "report.html"

    func run() throws {
        let columns = [
            "car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car",
            "size_of_downpayment", "driver_tenure", "y_pred_proba",
        ]
        var options = DriftOptions()
        options.methods = nil
        let job = DriftJob(
            referencePath: dataDir + "/car_loan_reference.csv.gz", currentPath: dataDir + "/car_loan_analysis.csv.gz",
            columns: columns, categorical: ["repaid_loan_on_prev_car", "size_of_downpayment", "salary_range"],
            options: options, threads: 0)
        let result = try job.run()
        FileHandleOutput.standardOutput(
            "Driftwatch demo: car-loan reference period (2018) vs monitored period (2018-10 → 2019-08)\n\n")
        FileHandleOutput.standardOutput(DriftTextFormatter.format(result.comparison))
        try OutputWriter.write(DriftHTMLFormatter.format(result.comparison), to: output)
        FileHandleOutput.standardOutput(
            """

            Report written to \(output).
            Try your own data:  driftwatch drift --reference train.csv --current today.csv --format json
            Score a prediction log:  driftwatch metrics --input predictions.csv --label y_true --prediction y_pred

            """)
    }
}
