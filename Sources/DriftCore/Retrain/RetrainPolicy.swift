/// How a model is retrained when a rule marked `retrain` fires, or by hand (`retrain:` under `defaults` or
/// a model in the configuration).
///
/// The built-in trainer fits a challenger on the model's labelled predictions of the last
/// `trainingWindowSeconds` (event time, counted back from the newest labelled prediction; at most
/// `maxRows`, the newest), holding out the newest `holdoutFraction` of them. Champion and challenger are
/// scored on those same held-out rows with `metric`; the challenger is promoted when it is better by at
/// least `margin` (or when there is no champion yet). An external trainer is handed the job instead.
public struct RetrainPolicy: Sendable, Equatable {
    /// Who trains.
    public enum Trainer: Sendable, Equatable {
        /// The built-in trainer (`DriftTrainer`).
        case builtin
        /// Runs a command with the job as JSON on standard input (exit 0: handed over).
        case command([String])
        /// Sends a `retrain.requested` event with the job to the named receiver.
        case webhook(receiver: String)
    }

    public var trainer: Trainer = .builtin
    /// The built-in model kind (`logistic`, `softmax`, `mlp`, `ridge`; nil: by task).
    public var modelKind: String?
    /// Labelled predictions needed before a job trains (fewer: the job fails, saying so).
    public var minLabelledRows = 200
    /// How far back, in event-time seconds, training data reaches.
    public var trainingWindowSeconds = 7 * 86_400
    /// Newest labelled rows used at most.
    public var maxRows = 200_000
    /// The newest share of the rows held out for the champion–challenger comparison.
    public var holdoutFraction = 0.2
    /// Seconds after a job was queued before a rule may queue the next (manual jobs ignore it).
    public var cooldownSeconds = 3_600
    /// The metric compared (`f1`, `accuracy`, `precision`, `recall`, `roc_auc`, `log_loss`, `mae`,
    /// `rmse`, `r2`).
    public var metric = "f1"
    /// How much better the challenger must be (in the metric's units).
    public var margin = 0.0
    /// The trainer's seed.
    public var seed: UInt64 = 0
    /// Hyperparameter search: `grid`, `random` or `none`.
    public var search = "grid"
    /// OpenBLAS threads the trainer uses inside the agent.
    public var threads = 1
    /// How long a worker holds a job before another may take it over (renewed while it trains).
    public var leaseSeconds = 120
    /// Attempts before a job fails for good.
    public var maxAttempts = 3
    /// Seconds a `command` trainer may run before its process group is killed and the job fails.
    public var timeoutSeconds = 3_600
    /// The environment variables a `command` trainer is given from the agent's (when set there); nothing
    /// else is passed on (no database URL, no tokens), except `DRIFTWATCH_JOB_ID` and `DRIFTWATCH_MODEL`.
    public var environment = RetrainPolicy.defaultEnvironment

    /// The variables a `command` trainer is given when `retrain.env` is not set.
    public static let defaultEnvironment = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"]

    public init() {}

    /// Metrics a policy may compare.
    public static let metrics: Set<String> = [
        "f1", "accuracy", "precision", "recall", "roc_auc", "log_loss", "mae", "rmse", "r2",
    ]
}
