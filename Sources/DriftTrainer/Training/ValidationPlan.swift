/// The validation rows a training run scores its settings on: k folds, one seeded hold-out part, or none.
struct ValidationPlan {
    /// The (train, validation) row splits; empty when nothing is held out.
    var splits: [(train: [Int], validation: [Int])] = []
    /// `kfold`, `holdout` or `none`, as the training summary names it.
    var method = "none"

    /// The plan `options` ask for over `n` rows, stratified by `target`'s classes.
    init(options: TrainingOptions, target: PreparedTarget, rows n: Int) throws(TrainerError) {
        let groups = Splitter.groups(classIndex: target.classIndex, count: n, classCount: target.classes.count)
        if let k = options.folds {
            guard k <= n else { throw .invalidOption("folds (\(k)) cannot exceed the number of rows (\(n))") }
            let folds = Splitter.folds(count: n, groups: groups, k: k, seed: options.seed)
            for (i, fold) in folds.enumerated() {
                var inFold = [Bool](repeating: false, count: n)
                for row in fold { inFold[row] = true }
                splits.append(((0..<n).filter { !inFold[$0] }, folds[i]))
            }
            method = "kfold"
        } else if options.validationFraction > 0 {
            let (train, validation) = Splitter.holdOut(
                count: n, groups: groups, fraction: options.validationFraction, seed: options.seed)
            if !validation.isEmpty {
                splits = [(train, validation)]
                method = "holdout"
            }
        }
    }
}
