import DriftCore
import DriftStats
import DriftTables

/// Computes the metrics of a prediction log already loaded as a table.
package struct PredictionLogMetrics {
    package let table: Table
    package let label: String
    package let prediction: String
    package let score: String?
    package let scorePrefix: String?
    package let positiveLabel: String?
    package let task: MetricsTask?

    package init(
        table: Table,
        label: String,
        prediction: String,
        score: String? = nil,
        scorePrefix: String? = nil,
        positiveLabel: String? = nil,
        task: MetricsTask? = nil
    ) {
        self.table = table
        self.label = label
        self.prediction = prediction
        self.score = score
        self.scorePrefix = scorePrefix
        self.positiveLabel = positiveLabel
        self.task = task
    }

    package struct Output {
        package let json: String
        package let text: String
        package let warnings: [String]
    }

    /// A problem with the log's columns: a column that is not there (`unknown_column`), or one that is
    /// there but not numbers where numbers are needed (`non_numeric_value`).
    func fail(_ message: String, column: String? = nil, code: TableError.Code = .unknownColumn) -> TableError {
        TableError(code, file: table.source, column: column, message)
    }

    /// The numbers of `name`, or an error naming it: missing, or not numeric.
    func numbers(_ name: String, _ message: String) throws -> [Double] {
        guard let column = table.column(name) else { throw fail(message, column: name) }
        guard case .numeric(let values, _, _) = column else {
            throw fail(message, column: name, code: .nonNumericValue)
        }
        return values
    }

    package func run() throws -> Output {
        guard let labelColumn = table.column(label), let predictionColumn = table.column(prediction) else {
            throw fail("label or prediction column missing")
        }
        let resolved = task ?? inferTask(labelColumn, predictionColumn)
        if resolved == .regression { return try regression(labelColumn, predictionColumn) }
        return try classification(labelColumn, predictionColumn, task: resolved)
    }

    package func inferTask(_ labels: TableColumn, _ predictions: TableColumn) -> MetricsTask {
        if case .numeric(let values, _, _) = labels {
            let finite = values.filter { !$0.isNaN }
            let integral = finite.allSatisfy { $0 == $0.rounded() }
            if !integral || Set(finite).count > 20 { return .regression }
        }
        if let scorePrefix {
            let classes = table.columnNames.filter { $0.hasPrefix(scorePrefix) }.count
            if classes > 2 { return .multiclass }
        }
        let classes = Set(labels.strings.compactMap { $0 }).union(predictions.strings.compactMap { $0 })
        return classes.count <= 2 ? .binary : .multiclass
    }

    package func regression(_ labels: TableColumn, _ predictions: TableColumn) throws -> Output {
        guard case .numeric(let y, _, _) = labels else {
            throw fail("regression needs a numeric label column", column: label, code: .nonNumericValue)
        }
        guard case .numeric(let yHat, _, _) = predictions else {
            throw fail("regression needs a numeric prediction column", column: prediction, code: .nonNumericValue)
        }
        var actual: [Double] = []
        var predicted: [Double] = []
        actual.reserveCapacity(y.count)
        predicted.reserveCapacity(y.count)
        for (a, p) in zip(y, yHat) where !a.isNaN && !p.isNaN {
            actual.append(a)
            predicted.append(p)
        }
        let skipped = y.count - actual.count
        let m = try RegressionMetrics(actual: actual, predicted: predicted)
        var w = JSONWriter()
        w.beginObject()
        w.integer("rows", actual.count)
        w.integer("skipped_rows", skipped)
        w.string("task", "regression")
        w.number("mae", m.meanAbsoluteError)
        w.number("rmse", m.rootMeanSquaredError)
        w.number("mape", m.meanAbsolutePercentageError)
        w.number("r2", m.r2)
        w.endObject()
        let text = """
            rows \(actual.count) (skipped \(skipped)), task regression
            MAE  \(m.meanAbsoluteError)
            RMSE \(m.rootMeanSquaredError)
            MAPE \(m.meanAbsolutePercentageError)
            R²   \(m.r2)

            """
        return Output(json: w.text + "\n", text: text, warnings: skippedWarning(skipped))
    }

    package func skippedWarning(_ skipped: Int) -> [String] {
        skipped == 0
            ? []
            : ["\(table.source): \(skipped) row\(skipped == 1 ? "" : "s") with a missing label or prediction left out"]
    }

    package func classification(_ labels: TableColumn, _ predictions: TableColumn, task: MetricsTask) throws -> Output {
        let truthAll = labels.strings
        let predictedAll = predictions.strings
        var keep: [Int] = []
        keep.reserveCapacity(truthAll.count)
        for i in truthAll.indices where truthAll[i] != nil && predictedAll[i] != nil { keep.append(i) }
        let truth = keep.map { truthAll[$0] ?? "" }
        let predicted = keep.map { predictedAll[$0] ?? "" }
        let skipped = truthAll.count - keep.count
        let report = try ClassificationReport(truth: truth, predicted: predicted)
        let scores = try scoreMetrics(truth: truth, rows: keep, classes: report.labels, task: task)
        let metrics = ClassificationMetrics(
            rows: keep.count, skipped: skipped, task: task, report: report, scores: scores)
        return Output(
            json: metrics.jsonText(pretty: true) + "\n", text: metrics.text, warnings: skippedWarning(skipped))
    }

    /// ROC AUC and log loss from the score column(s), when the log has them: binary, the positive class's
    /// score; multiclass, one `PREFIX<class>` column per class.
    func scoreMetrics(
        truth: [String], rows keep: [Int], classes: [String], task: MetricsTask
    ) throws
        -> ClassificationMetrics.Scores
    {
        var scores = ClassificationMetrics.Scores()
        if task == .binary {
            let positive = positiveLabel ?? classes.last ?? "1"
            guard let scoreColumn = score ?? scorePrefix.map({ $0 + positive }) else { return scores }
            let values = try numbers(scoreColumn, "the score column must exist and be numeric")
            let positiveScores = keep.map { values[$0] }
            scores.rocAUC = try ROCAUC.binary(truth: truth, scores: positiveScores, positiveLabel: positive)
            scores.logLoss = try LogLoss.binary(truth: truth, positiveScores: positiveScores, positiveLabel: positive)
        } else if let scorePrefix {
            var columns: [String: [Double]] = [:]
            for name in classes {
                let values = try numbers(scorePrefix + name, "no numeric score column for class '\(name)'")
                columns[name] = keep.map { values[$0] }
            }
            let ovr = try ROCAUC.oneVsRest(truth: truth, scoreColumns: columns)
            scores.rocAUC = ovr?.macro
            scores.rocWeighted = ovr?.weighted
            scores.logLoss = try LogLoss.multiclass(truth: truth, scoreColumns: columns)
        }
        return scores
    }
}
