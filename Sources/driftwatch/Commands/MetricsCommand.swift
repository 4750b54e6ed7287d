import ArgumentParser
import DriftBatch
import DriftCore
import DriftStats
import DriftTables

/// `driftwatch metrics`: scores a prediction log (classification or regression metrics).
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Score a prediction log: precision/recall/F1, ROC AUC, log loss, or MAE/RMSE/MAPE/R².",
        discussion: """
            Labels are compared as strings; in a numeric column 1 and 1.0 are the same class. The task is \
            inferred unless --task is given: regression when the label column is numeric with non-integer \
            values or more than 20 distinct values, binary with at most two classes, multiclass otherwise. \
            Rows whose label or prediction is missing are left out and counted.
            """)

    @Option(help: "The prediction log (CSV or NDJSON, optionally gzipped).")
    var input: String

    @Option(help: "Column holding the true label (or value, for regression).")
    var label: String

    @Option(help: "Column holding the predicted label (or value).")
    var prediction: String

    @Option(help: "Binary: column holding the score (probability) of the positive class.")
    var score: String?

    @Option(name: .customLong("score-prefix"), help: "Columns PREFIX<label> holding each class's score (e.g. score_).")
    var scorePrefix: String?

    @Option(name: .customLong("positive-label"), help: "Binary: the positive class (default: the greater label).")
    var positiveLabel: String?

    @Option(help: "binary, multiclass or regression (default: inferred).")
    var task: MetricsTask?

    @Option(help: "Output format: json or text.")
    var format: OutputFormat = .json

    @Option(help: "Write the output to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if score != nil && scorePrefix != nil { throw ValidationError("give --score or --score-prefix, not both") }
        if format == .html { throw ValidationError("metrics prints json or text") }
    }

    func run() throws {
        var options = TableReadOptions()
        options.categorical = task == .regression ? [] : []
        let table = try TableLoader.load(input, options: options)
        for name in [label, prediction] + (score.map { [$0] } ?? []) where table.column(name) == nil {
            throw TableError(
                .unknownColumn, file: input, line: 1, column: name,
                "no such column (the header has: \(table.columnNames.prefix(20).joined(separator: ", ")))")
        }
        let scoring = PredictionLogMetrics(
            table: table, label: label, prediction: prediction, score: score, scorePrefix: scorePrefix,
            positiveLabel: positiveLabel, task: task)
        let result = try scoring.run()
        for warning in result.warnings { FileHandleOutput.standardError("warning: \(warning)\n") }
        try OutputWriter.write(format == .text ? result.text : result.json, to: output)
    }
}

extension MetricsTask: ExpressibleByArgument {}
