import DriftCore
import DriftStats
import DriftStore
import DriftTables
import DriftTrainer

/// Turns a model's stored labelled predictions into the trainer's column-wise `TrainingSet`, in the
/// model's feature order (numeric features as stored in `numeric_features`, categorical ones in
/// `category_features`).
struct TrainingDataBuilder {
    let model: ModelConfiguration

    func trainingSet(_ rows: [LabelledPredictionScan.Row]) throws(TrainerError) -> TrainingSet {
        let schema = ProfileSchema(model: model)
        let numeric = schema.numericFeatures.enumerated().map { i, feature in
            TrainingSet.NumericColumn(
                name: feature.name, values: rows.map { i < $0.numeric.count ? ($0.numeric[i] ?? .nan) : .nan })
        }
        let categorical = schema.categoricalFeatures.enumerated().map { i, feature in
            TrainingSet.CategoricalColumn(
                name: feature.name, values: rows.map { i < $0.categorical.count ? $0.categorical[i] : nil })
        }
        let target: TrainingSet.Target =
            model.task == .regression
            ? .values(rows.map { $0.labelValue ?? $0.label.flatMap { Double($0) } ?? .nan })
            : .classes(rows.map { $0.label ?? $0.labelValue.map { NumberFormatting.label($0) } ?? "" })
        return try TrainingSet(numeric: numeric, categorical: categorical, target: target)
    }

    /// The metric of the predictions as they were logged (the serving model's own output) against the
    /// labels, computed as the trainer's `Evaluation` computes it (binary: the positive class is the second
    /// of the sorted labels; multiclass: macro average); nil when the metric needs scores that were not
    /// logged or no row has a prediction.
    func loggedScore(_ rows: [LabelledPredictionScan.Row], metric: EvaluationMetric) -> Double? {
        if model.task == .regression {
            var truth: [Double] = []
            var predicted: [Double] = []
            for r in rows {
                guard let t = r.labelValue ?? r.label.flatMap({ Double($0) }),
                    let p = r.score ?? r.prediction.flatMap({ Double($0) })
                else { continue }
                truth.append(t)
                predicted.append(p)
            }
            guard !truth.isEmpty, let m = try? RegressionMetrics(actual: truth, predicted: predicted) else {
                return nil
            }
            switch metric {
            case .mae: return m.meanAbsoluteError
            case .rmse: return m.rootMeanSquaredError
            case .r2: return m.r2
            default: return nil
            }
        }
        var truth: [String] = []
        var predicted: [String] = []
        for r in rows {
            guard let t = r.label ?? r.labelValue.map({ NumberFormatting.label($0) }), let p = r.prediction else {
                continue
            }
            truth.append(t)
            predicted.append(p)
        }
        guard !truth.isEmpty, let report = try? ClassificationReport(truth: truth, predicted: predicted) else {
            return nil
        }
        let labels = LabelOrder.sorted(Array(Set(truth)))
        if metric == .accuracy { return report.accuracy }
        if model.task == .binary && labels.count == 2, let positive = report.metrics(for: labels[1]) {
            switch metric {
            case .precision: return positive.precision
            case .recall: return positive.recall
            case .f1: return positive.f1
            default: return nil
            }
        }
        switch metric {
        case .precision: return report.macroAverage.precision
        case .recall: return report.macroAverage.recall
        case .f1: return report.macroAverage.f1
        default: return nil
        }
    }
}
