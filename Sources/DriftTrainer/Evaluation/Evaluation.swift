import DriftCore
import DriftStats
import DriftTables

/// Held-out metrics of a model, computed with `DriftStats` as scikit-learn computes them.
///
/// Classification: `accuracy` (`ClassificationReport`); binary models report the positive class's
/// (`classes[1]`) precision, recall and F1, multiclass models their macro averages over the labels present in
/// the truth or the predictions (`zero_division = 0`); `logLoss` (`LogLoss`, probabilities clipped to
/// [ε, 1 − ε], ε = 2.22e-16); `rocAUC` (`ROCAUC.binary`, or the macro average of `ROCAUC.oneVsRest`). `logLoss`
/// and `rocAUC` are nil when undefined (one class in the truth) or when the truth holds a class the model
/// never saw. Regression: `mae`, `rmse`, `r2` (`RegressionMetrics`; `r2` nil when undefined).
package struct Evaluation: Sendable, Codable, Equatable {
    /// Rows evaluated.
    package var rows: Int
    /// Share of correct labels.
    package var accuracy: Double?
    /// Binary: the positive class's precision; multiclass: macro precision.
    package var precision: Double?
    /// Binary: the positive class's recall; multiclass: macro recall.
    package var recall: Double?
    /// Binary: the positive class's F1; multiclass: macro F1.
    package var f1: Double?
    /// Mean log-loss (natural log).
    package var logLoss: Double?
    /// ROC AUC: binary, or one-vs-rest macro average.
    package var rocAUC: Double?
    /// Mean absolute error.
    package var mae: Double?
    /// Root mean squared error.
    package var rmse: Double?
    /// Coefficient of determination.
    package var r2: Double?

    /// An evaluation with only the row count set.
    package init(rows: Int) { self.rows = rows }

    /// The value of `metric`, nil when not computed (e.g. `roc_auc` without scores).
    package func value(of metric: EvaluationMetric) -> Double? {
        switch metric {
        case .accuracy: return accuracy
        case .precision: return precision
        case .recall: return recall
        case .f1: return f1
        case .logLoss: return logLoss
        case .rocAUC: return rocAUC
        case .mae: return mae
        case .rmse: return rmse
        case .r2: return r2
        }
    }

    enum CodingKeys: String, CodingKey {
        case rows, accuracy, precision, recall, f1
        case logLoss = "log_loss"
        case rocAUC = "roc_auc"
        case mae, rmse, r2
    }

    /// Computes the metrics of `predictions` against `truth`.
    init(model: TrainedModel, predictions: [Prediction], truth: TrainingSet.Target) throws(TrainerError) {
        switch (model.task, truth) {
        case (.regression, .values(let actual)):
            self = try Self.regression(predictions.map { $0.value ?? .nan }, actual: actual)
        case (.regression, .classes):
            throw .invalidData("a regression model is evaluated against numbers, not class labels")
        case (_, .values(let values)):
            self = try Self.classification(
                model, predictions: predictions, truth: values.map { $0.isNaN ? "" : NumberFormatting.label($0) })
        case (_, .classes(let labels)):
            self = try Self.classification(model, predictions: predictions, truth: labels)
        }
    }

    private static func regression(_ predicted: [Double], actual: [Double]) throws(TrainerError) -> Evaluation {
        var e = Evaluation(rows: actual.count)
        guard actual.allSatisfy(\.isFinite) else {
            throw .invalidData("the true values hold missing or non-finite numbers")
        }
        do {
            let metrics = try RegressionMetrics(actual: actual, predicted: predicted)
            guard !actual.isEmpty else { return e }
            e.mae = metrics.meanAbsoluteError
            e.rmse = metrics.rootMeanSquaredError
            e.r2 = metrics.r2.isNaN ? nil : metrics.r2
            return e
        } catch {
            throw .lengthMismatch(column: "target", expected: predicted.count, actual: actual.count)
        }
    }

    private static func classification(
        _ model: TrainedModel, predictions: [Prediction], truth: [String]
    )
        throws(TrainerError) -> Evaluation
    {
        var e = Evaluation(rows: truth.count)
        guard truth.count == predictions.count else {
            throw .lengthMismatch(column: "target", expected: predictions.count, actual: truth.count)
        }
        guard !truth.isEmpty else { return e }
        let predicted = predictions.map { $0.label ?? "" }
        let report: ClassificationReport
        do {
            report = try ClassificationReport(truth: truth, predicted: predicted)
        } catch {
            throw .invalidData("the labels could not be compared: \(error)")
        }
        e.accuracy = report.accuracy
        let classes = model.classes
        if model.task == .binary, classes.count == 2 {
            let positive = report.metrics(for: classes[1])
            e.precision = positive?.precision ?? 0
            e.recall = positive?.recall ?? 0
            e.f1 = positive?.f1 ?? 0
            let positiveScores = predictions.map { $0.scores.count == 2 ? $0.scores[1] : 0 }
            let known = Set(classes.map(ExactString.init))
            if truth.allSatisfy({ known.contains(ExactString($0)) }) {
                e.logLoss = try? LogLoss.binary(truth: truth, positiveScores: positiveScores, positiveLabel: classes[1])
                e.rocAUC = try? ROCAUC.binary(truth: truth, scores: positiveScores, positiveLabel: classes[1])
            }
        } else {
            e.precision = report.macroAverage.precision
            e.recall = report.macroAverage.recall
            e.f1 = report.macroAverage.f1
            var columns = [String: [Double]]()
            for (k, label) in classes.enumerated() {
                columns[label] = predictions.map { k < $0.scores.count ? $0.scores[k] : 0 }
            }
            e.logLoss = try? LogLoss.multiclass(truth: truth, scoreColumns: columns)
            e.rocAUC = (try? ROCAUC.oneVsRest(truth: truth, scoreColumns: columns))?.macro
            if let auc = e.rocAUC, auc.isNaN { e.rocAUC = nil }
        }
        return e
    }
}
