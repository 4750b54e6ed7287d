/// Scores each candidate setting on the validation splits and keeps the one with the lowest mean score (the
/// first on ties); with no splits, the first candidate unscored.
struct CandidateSearch {
    /// Every candidate's score and best epoch count, in the order tried.
    var trials = [SearchTrial]()
    /// The chosen setting.
    var chosen: Hyperparameters
    /// The chosen setting's mean validation score; nil when nothing was scored.
    var chosenScore: Double?
    /// The epochs the chosen setting trains for on all rows (the mean of its early-stopping epochs).
    var chosenEpochs: Int

    /// Runs the search; throws `diverged` when splits exist and no candidate has a finite score.
    init(
        candidates: [Hyperparameters], splits: [(train: [Int], validation: [Int])], context: FitContext
    ) throws(TrainerError) {
        chosen = candidates[0]
        chosenEpochs = candidates[0].epochs
        guard !splits.isEmpty else { return }
        for candidate in candidates {
            var scores = [Double]()
            var epochs = [Int]()
            for split in splits {
                let outcome = try context.fit(candidate, train: split.train, validation: split.validation)
                if let loss = outcome.validationLoss, !outcome.diverged {
                    scores.append(context.score(loss))
                    epochs.append(outcome.epochs)
                }
            }
            let complete = scores.count == splits.count
            let score = complete ? scores.reduce(0, +) / Double(scores.count) : nil
            let bestEpoch =
                complete && context.kind != .ridge
                ? max(1, Int((Double(epochs.reduce(0, +)) / Double(epochs.count)).rounded())) : nil
            trials.append(SearchTrial(hyperparameters: candidate, score: score, bestEpoch: bestEpoch))
            if let score, score.isFinite, chosenScore.map({ score < $0 }) ?? true {
                chosen = candidate
                chosenScore = score
                chosenEpochs = bestEpoch ?? candidate.epochs
            }
        }
        guard chosenScore != nil else {
            throw TrainerError(
                code: .diverged,
                message: "training diverged for every setting tried; try a smaller learning rate")
        }
    }
}
