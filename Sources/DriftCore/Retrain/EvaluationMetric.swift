/// A metric a model is scored by on labelled rows: printed by `driftwatch train`, stored in a version's
/// evaluation, and compared by the retraining policy. Definitions: `Evaluation` in DriftTrainer.
package enum EvaluationMetric: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case accuracy
    case precision
    case recall
    case f1
    case logLoss = "log_loss"
    case rocAUC = "roc_auc"
    case mae
    case rmse
    case r2

    /// The name as written in configuration and JSON, e.g. `log_loss`.
    package var description: String { rawValue }

    /// `false` for the error metrics (`log_loss`, `mae`, `rmse`), `true` for the others.
    package var higherIsBetter: Bool { self != .logLoss && self != .mae && self != .rmse }

    /// `true` for the metrics of a regression model (`mae`, `rmse`, `r2`).
    package var isRegression: Bool { self == .mae || self == .rmse || self == .r2 }

    /// The metrics reported for a model of `task`, in the order they are printed.
    package static func reported(for task: ModelTask) -> [EvaluationMetric] {
        task == .regression ? [.mae, .rmse, .r2] : [.accuracy, .precision, .recall, .f1, .logLoss, .rocAUC]
    }
}
