/// How a model is retrained when a rule marked `retrain` fires, or by hand (`retrain:` under `defaults` or
/// a model in the configuration).
///
/// The built-in trainer fits a challenger on the model's labelled predictions of the last
/// `trainingWindowSeconds` (event time, counted back from the newest labelled prediction; at most
/// `maxRows`, the newest), holding out the newest `holdoutFraction` of them. Champion and challenger are
/// scored on those same held-out rows with `metric`; the challenger is promoted when it is better by at
/// least `margin` (or when there is no champion yet). An external trainer is handed the job instead.
package struct RetrainPolicy: Sendable, Equatable {
    /// Who trains.
    package enum Trainer: Sendable, Equatable {
        /// The built-in trainer (`DriftTrainer`).
        case builtin
        /// Runs a command with the job as JSON on standard input (exit 0: handed over).
        case command([String])
        /// Sends a `retrain.requested` event with the job to the named receiver.
        case webhook(receiver: String)
    }

    package var trainer: Trainer = .builtin
    /// The built-in model kind (`logistic`, `softmax`, `mlp`, `ridge`; nil: by task).
    package var modelKind: ModelKind?
    /// Labelled predictions needed before a job trains (fewer: the job fails, saying so).
    package var minLabelledRows = 200
    /// How far back, in event-time seconds, training data reaches.
    package var trainingWindowSeconds = 7 * 86_400
    /// Newest labelled rows used at most.
    package var maxRows = 200_000
    /// The newest share of the rows held out for the champion–challenger comparison.
    package var holdoutFraction = 0.2
    /// Seconds after a job was queued before a rule may queue the next (manual jobs ignore it).
    package var cooldownSeconds = 3_600
    /// The metric compared (`f1` for classifiers unless set; `rmse` for regression).
    package var metric = EvaluationMetric.f1
    /// How much better the challenger must be (in the metric's units).
    package var margin = 0.0
    /// The trainer's seed.
    package var seed: UInt64 = 0
    /// Hyperparameter search: `grid`, `random` or `none`.
    package var search = "grid"
    /// OpenBLAS threads the trainer uses inside the agent.
    package var threads = 1
    /// How long a worker holds a job before another may take it over (renewed while it trains).
    package var leaseSeconds = 120
    /// Attempts before a job fails for good.
    package var maxAttempts = 3
    /// Seconds a `command` trainer may run before its process group is killed and the job fails.
    package var timeoutSeconds = 3_600
    /// The environment variables a `command` trainer is given from the agent's (when set there); nothing
    /// else is passed on (no database URL, no tokens), except `DRIFTWATCH_JOB_ID` and `DRIFTWATCH_MODEL`.
    package var environment = RetrainPolicy.defaultEnvironment

    /// The variables a `command` trainer is given when `retrain.env` is not set.
    package static let defaultEnvironment = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"]

    package init() {}
}
