import DriftCore

/// What to train and how. Every field has a default; see the README's "Built-in trainer" section.
package struct TrainingOptions: Sendable, Codable, Equatable {
    /// Binary, multiclass or regression.
    package var task: ModelTask
    /// The model family; nil: logistic (binary), softmax (multiclass), ridge (regression).
    package var kind: ModelKind?
    /// Seeds every random choice (splits, initial weights, mini-batch order, random search). Default 0.
    package var seed: UInt64
    /// Share of the training rows held out (stratified for classes) for early stopping and search scoring;
    /// in [0, 1). Default 0.2. With 0 (and no `folds`) there is no early stopping: the model trains for
    /// `hyperparameters.epochs` epochs on all rows.
    package var validationFraction: Double
    /// Hyperparameter search; default `.grid`. Ignored when `hyperparameters` is set.
    package var search: SearchStrategy
    /// When set (≥ 2), settings are scored by k-fold cross-validation instead of the validation split.
    package var folds: Int?
    /// Class weights of the loss (classification only). Default `.none`.
    package var classWeighting: ClassWeighting
    /// Fixed settings; when set, no search runs.
    package var hyperparameters: Hyperparameters?
    /// Cap on epochs for searched settings (default 200).
    package var maxEpochs: Int
    /// Early stopping: stop after this many epochs without a better validation loss (default 10).
    package var patience: Int
    /// OpenBLAS threads, set with `openblas_set_num_threads` before training (a process-wide setting).
    /// Default 1: the mini-batch products are small, and the service shares its cores.
    package var threads: Int

    /// Defaults for `task`.
    package init(task: ModelTask) {
        self.task = task
        kind = nil
        seed = 0
        validationFraction = 0.2
        search = .grid
        folds = nil
        classWeighting = .none
        hyperparameters = nil
        maxEpochs = 200
        patience = 10
        threads = 1
    }

    /// The model kind used: `kind`, else the task's default.
    package var resolvedKind: ModelKind { kind ?? ModelKind.defaultKind(for: task) }

    enum CodingKeys: String, CodingKey {
        case task, kind, seed
        case validationFraction = "validation_fraction"
        case search, folds
        case classWeighting = "class_weighting"
        case hyperparameters
        case maxEpochs = "max_epochs"
        case patience, threads
    }
}
