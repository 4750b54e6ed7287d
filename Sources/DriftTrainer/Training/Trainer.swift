import DriftCore
import DriftStats

/// Trains models.
///
/// The procedure: learn the feature encoding from every training row; split off a seeded validation part
/// (stratified by class; or k folds); score each candidate setting (the search, or the fixed settings) by its
/// validation loss — logistic, softmax and MLP models trained with mini-batch Adam and early stopping, ridge
/// solved exactly; pick the lowest score (the first on ties); refit the chosen setting on all rows for the
/// number of epochs early stopping chose (scikit-learn's `refit=True`). Deterministic: the same data, options
/// and seed give the same model and byte-identical artifact.
package enum Trainer {
    /// Trains a model on `data` (which needs a target). See the type's documentation for the procedure.
    package static func train(_ data: TrainingSet, options: TrainingOptions) throws(TrainerError) -> TrainedModel {
        try data.validate()
        try check(options)
        let kind = options.resolvedKind
        guard let rawTarget = data.target else {
            throw .invalidData("training needs a target (the label column)")
        }
        let n = data.rowCount
        guard n >= 2 else { throw .invalidData("training needs at least 2 rows; the data has \(n)") }
        let target = try PreparedTarget(rawTarget, task: options.task, weighting: options.classWeighting)
        let output = try outputActivation(kind: kind, task: options.task, classes: target.classes.count)
        let outputs = output == .softmax ? target.classes.count : 1
        let encoding = FeatureEncoding(learningFrom: data)
        let x = try encoding.encode(data)
        BLAS.setThreads(options.threads)

        let (candidates, strategy) = try settings(options, kind: kind, rows: n)
        let plan = try ValidationPlan(options: options, target: target, rows: n)
        if plan.splits.isEmpty && candidates.count > 1 {
            throw .invalidOption(
                "a hyperparameter search needs validation rows: set a validation fraction > 0 or folds")
        }

        let context = FitContext(
            x: x, width: encoding.width, target: target, output: output, outputs: outputs, kind: kind,
            patience: options.patience, seed: options.seed)
        let search = try CandidateSearch(candidates: candidates, splits: plan.splits, context: context)

        var final = search.chosen
        final.epochs = kind == .ridge ? search.chosen.epochs : search.chosenEpochs
        let outcome = try context.fit(final, train: Array(0..<n), validation: [])
        guard !outcome.diverged else {
            throw TrainerError(
                code: .diverged, message: "training diverged (the loss is not finite); try a smaller learning rate")
        }
        let network = Network(
            sizes: context.sizes(final), output: output, parameters: outcome.parameters)
        let summary = TrainingSummary(
            rows: n, validation: plan.method,
            validationRows: plan.method == "kfold" ? n : plan.splits.first?.validation.count ?? 0,
            folds: plan.method == "kfold" ? options.folds : nil,
            scoreMetric: options.task == .regression ? "mse" : "log_loss", validationScore: search.chosenScore,
            epochsRun: kind == .ridge ? 0 : outcome.epochs, search: strategy, classWeighting: options.classWeighting,
            classWeights: target.classWeights, trials: search.trials, trainedFrom: nil, trainedTo: nil)
        let model = TrainedModel(
            kind: kind, task: options.task, classes: target.classes, hyperparameters: final, seed: options.seed,
            training: summary, encoding: encoding, target: target.scaling, network: network)
        try model.validate()
        return model
    }

    /// The settings to score: the fixed ones (checked), else the search's candidates; and the search run.
    static func settings(
        _ options: TrainingOptions, kind: ModelKind, rows n: Int
    ) throws(TrainerError) -> (candidates: [Hyperparameters], strategy: SearchStrategy) {
        if let fixed = options.hyperparameters {
            try check(fixed, kind: kind)
            return ([fixed], .none)
        }
        let candidates = HyperparameterSpace.candidates(
            kind: kind, search: options.search, maxEpochs: options.maxEpochs, rows: n, seed: options.seed)
        return (candidates, options.search)
    }

    /// The output activation of `kind` for `task` with `classes` classes, or an error for a mismatch.
    static func outputActivation(
        kind: ModelKind, task: ModelTask, classes: Int
    ) throws(TrainerError)
        -> OutputActivation
    {
        switch (kind, task) {
        case (.ridge, .regression), (.mlp, .regression):
            return .identity
        case (.ridge, _):
            throw .invalidOption("ridge is a regression model; use logistic, softmax or mlp for classification")
        case (.logistic, .regression), (.softmax, .regression):
            throw .invalidOption("\(kind.rawValue) is a classifier; use ridge or mlp for regression")
        case (.logistic, _):
            guard classes == 2 else {
                throw .invalidOption("logistic regression is binary; use softmax or mlp for \(classes) classes")
            }
            return .sigmoid
        case (.softmax, _):
            return .softmax
        case (.mlp, _):
            return task == .binary ? .sigmoid : .softmax
        }
    }

    /// Checks option ranges.
    static func check(_ options: TrainingOptions) throws(TrainerError) {
        guard options.validationFraction.isFinite, options.validationFraction >= 0, options.validationFraction < 1
        else { throw .invalidOption("the validation fraction must be in [0, 1)") }
        if let folds = options.folds, folds < 2 { throw .invalidOption("folds must be at least 2") }
        guard (1...100_000).contains(options.maxEpochs) else {
            throw .invalidOption("max epochs must be in 1…100000")
        }
        guard options.patience >= 1 else { throw .invalidOption("patience must be at least 1") }
        guard (1...256).contains(options.threads) else { throw .invalidOption("threads must be in 1…256") }
        if case .random(let trials) = options.search, !(1...10_000).contains(trials) {
            throw .invalidOption("random search needs 1…10000 trials")
        }
    }

    /// Checks fixed settings for `kind`.
    static func check(_ hp: Hyperparameters, kind: ModelKind) throws(TrainerError) {
        guard hp.l2.isFinite, hp.l2 >= 0 else { throw .invalidOption("l2 must be a finite number ≥ 0") }
        if kind == .ridge { return }
        guard hp.learningRate.isFinite, hp.learningRate > 0 else {
            throw .invalidOption("the learning rate must be a finite number > 0")
        }
        guard (1...100_000).contains(hp.epochs) else { throw .invalidOption("epochs must be in 1…100000") }
        guard (1...1_000_000).contains(hp.batchSize) else { throw .invalidOption("batch size must be in 1…1000000") }
        if kind == .mlp {
            guard (1...2).contains(hp.hiddenLayers.count), hp.hiddenLayers.allSatisfy({ (1...4096).contains($0) })
            else { throw .invalidOption("an mlp needs 1 or 2 hidden layers of 1…4096 units") }
        } else if !hp.hiddenLayers.isEmpty {
            throw .invalidOption("hidden layers apply to the mlp model only")
        }
    }
}

/// Everything one fit needs besides the setting and the rows.
struct FitContext {
    let x: [Double]
    let width: Int
    let target: PreparedTarget
    let output: OutputActivation
    let outputs: Int
    let kind: ModelKind
    let patience: Int
    let seed: UInt64

    /// Layer sizes for a setting.
    func sizes(_ hp: Hyperparameters) -> [Int] {
        [width] + (kind == .mlp ? hp.hiddenLayers : []) + [outputs]
    }

    /// A validation loss as a score: the loss itself for classification (mean log-loss), the mean squared error
    /// in target units for regression (`2 · loss · scale²`).
    func score(_ loss: Double) -> Double {
        guard let scaling = target.scaling else { return loss }
        return 2 * loss * scaling.scale * scaling.scale
    }

    /// Fits one setting on `train`, early-stopping on `validation` when it is not empty.
    func fit(_ hp: Hyperparameters, train: [Int], validation: [Int]) throws(TrainerError) -> FitOutcome {
        let sizes = sizes(hp)
        if kind == .ridge {
            guard case .values(let y) = target.encoded else {
                throw .invalidOption("ridge is a regression model")
            }
            let solution = try RidgeSolver.solve(x: x, width: width, y: y, rows: train, l2: hp.l2)
            let network = Network(sizes: sizes, output: output, parameters: solution)
            var loss: Double?
            if !validation.isEmpty {
                let validator = ValidationLoss(
                    network: network, x: x, target: target.encoded, rowWeights: nil, rows: validation)
                let value = solution.withBaseAddress { validator.loss(parameters: $0) }
                loss = value.isFinite ? value : nil
            }
            return FitOutcome(
                parameters: solution, epochs: 0, validationLoss: loss, diverged: loss == nil && !validation.isEmpty)
        }
        let network = Network(sizes: sizes, output: output, seed: seed)
        return AdamFitter.fit(
            network: network, x: x, target: target.encoded, rowWeights: target.rowWeights, train: train,
            validation: validation, hyperparameters: hp, patience: patience, seed: seed)
    }
}
