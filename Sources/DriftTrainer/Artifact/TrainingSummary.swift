/// How a model was trained: stored in the artifact under `training`.
package struct TrainingSummary: Sendable, Codable, Equatable {
    /// Rows the model was trained on (the final fit uses all of them).
    package var rows: Int
    /// How settings were scored: `"holdout"` (a validation split), `"kfold"` or `"none"`.
    package var validation: String
    /// Rows in the validation split (`"holdout"`), or in all folds together (`"kfold"`); 0 for `"none"`.
    package var validationRows: Int
    /// The number of folds (`"kfold"` only).
    package var folds: Int?
    /// The score of the searched settings: `"log_loss"` (class-weighted mean log-loss) for classification,
    /// `"mse"` (mean squared error in target units) for regression; lower is better.
    package var scoreMetric: String
    /// The chosen settings' validation score (mean over folds for `"kfold"`); nil without validation.
    package var validationScore: Double?
    /// Epochs of the final fit (0 for ridge, which is solved exactly).
    package var epochsRun: Int
    /// The search strategy that ran (`none` when settings were fixed).
    package var search: SearchStrategy
    /// The class weighting of the loss.
    package var classWeighting: ClassWeighting
    /// Weight of each class in `classes` order (`n / (k · n_c)` for `balanced`); nil for regression or `none`.
    package var classWeights: [Double]?
    /// Every setting tried, in order, with its score.
    package var trials: [SearchTrial]
    /// Start of the training data's time range (µs since the Unix epoch), set by callers that know it.
    package var trainedFrom: Int64?
    /// End of the training data's time range (µs since the Unix epoch), set by callers that know it.
    package var trainedTo: Int64?

    enum CodingKeys: String, CodingKey {
        case rows, validation
        case validationRows = "validation_rows"
        case folds
        case scoreMetric = "score_metric"
        case validationScore = "validation_score"
        case epochsRun = "epochs_run"
        case search
        case classWeighting = "class_weighting"
        case classWeights = "class_weights"
        case trials
        case trainedFrom = "trained_from"
        case trainedTo = "trained_to"
    }
}

/// One setting the search tried.
package struct SearchTrial: Sendable, Codable, Equatable {
    /// The settings (epochs: the cap the trial trained with).
    package var hyperparameters: Hyperparameters
    /// Its validation score (see `TrainingSummary.scoreMetric`); nil when training diverged or nothing was held out.
    package var score: Double?
    /// Epochs to its best validation loss (the early-stopping point; mean over folds, rounded).
    package var bestEpoch: Int?

    /// A trial record.
    package init(hyperparameters: Hyperparameters, score: Double?, bestEpoch: Int?) {
        self.hyperparameters = hyperparameters
        self.score = score
        self.bestEpoch = bestEpoch
    }

    enum CodingKeys: String, CodingKey {
        case hyperparameters, score
        case bestEpoch = "best_epoch"
    }
}
