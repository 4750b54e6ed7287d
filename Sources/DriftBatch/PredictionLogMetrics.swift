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

    package func fail(_ message: String, column: String? = nil) -> TableError {
        TableError(.unknownColumn, file: table.source, column: column, message)
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
            throw fail("regression needs a numeric label column", column: label)
        }
        guard case .numeric(let yHat, _, _) = predictions else {
            throw fail("regression needs a numeric prediction column", column: prediction)
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
        var rocAUC: Double?
        var rocWeighted: Double?
        var logLoss: Double?
        let labelsSorted = report.labels
        if task == .binary {
            let positive = positiveLabel ?? labelsSorted.last ?? "1"
            let scoreColumn = score ?? scorePrefix.map { $0 + positive }
            if let scoreColumn {
                guard case .numeric(let values, _, _)? = table.column(scoreColumn) else {
                    throw fail("the score column must exist and be numeric", column: scoreColumn)
                }
                let scores = keep.map { values[$0] }
                rocAUC = try ROCAUC.binary(truth: truth, scores: scores, positiveLabel: positive)
                logLoss = try LogLoss.binary(truth: truth, positiveScores: scores, positiveLabel: positive)
            }
        } else if let scorePrefix {
            var columns: [String: [Double]] = [:]
            for name in labelsSorted {
                guard case .numeric(let values, _, _)? = table.column(scorePrefix + name) else {
                    throw fail("no numeric score column for class '\(name)'", column: scorePrefix + name)
                }
                columns[name] = keep.map { values[$0] }
            }
            let ovr = try ROCAUC.oneVsRest(truth: truth, scoreColumns: columns)
            rocAUC = ovr?.macro
            rocWeighted = ovr?.weighted
            logLoss = try LogLoss.multiclass(truth: truth, scoreColumns: columns)
        }
        var w = JSONWriter()
        w.beginObject()
        w.integer("rows", keep.count)
        w.integer("skipped_rows", skipped)
        w.string("task", task.rawValue)
        w.number("accuracy", report.accuracy)
        w.beginArray("classes")
        for c in report.perClass {
            w.beginObject()
            w.string("label", c.label)
            w.number("precision", c.precision)
            w.number("recall", c.recall)
            w.number("f1", c.f1)
            w.integer("support", c.support)
            w.endObject()
        }
        w.endArray()
        for (key, avg) in [
            ("macro", report.macroAverage), ("micro", report.microAverage), ("weighted", report.weightedAverage),
        ] {
            w.beginObject(key)
            w.number("precision", avg.precision)
            w.number("recall", avg.recall)
            w.number("f1", avg.f1)
            w.endObject()
        }
        w.beginObject("confusion_matrix")
        w.beginArray("labels")
        for l in report.confusionMatrix.labels { w.string(nil, l) }
        w.endArray()
        w.beginArray("matrix")
        for row in report.confusionMatrix.matrix {
            w.beginArray()
            for n in row { w.integer(nil, n) }
            w.endArray()
        }
        w.endArray()
        w.endObject()
        w.number("roc_auc", rocAUC)
        if task == .multiclass { w.number("roc_auc_weighted", rocWeighted) }
        w.number("log_loss", logLoss)
        w.endObject()

        var text = "rows \(keep.count) (skipped \(skipped)), task \(task.rawValue), accuracy \(report.accuracy)\n"
        text += "class  precision  recall  f1  support\n"
        for c in report.perClass { text += "\(c.label)  \(c.precision)  \(c.recall)  \(c.f1)  \(c.support)\n" }
        text += "macro f1 \(report.macroAverage.f1), weighted f1 \(report.weightedAverage.f1)\n"
        if let rocAUC { text += "ROC AUC \(rocAUC)\n" }
        if let logLoss { text += "log loss \(logLoss)\n" }
        return Output(json: w.text + "\n", text: text, warnings: skippedWarning(skipped))
    }
}
