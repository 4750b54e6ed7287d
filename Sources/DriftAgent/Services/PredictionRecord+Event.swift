import DriftCore
import DriftStats
import DriftStore

extension PredictionRecord {
    /// The row stored for a decoded event; class scores in the labels' sorted order (numbers numerically,
    /// else code points), as every reader of `scores` expects.
    init(_ e: PredictionEvent) {
        var scores = e.scores
        if let labels = e.scoreLabels, let values = e.scores {
            let order = LabelOrder.sorted(labels)
            let byLabel = Dictionary(zip(labels, values), uniquingKeysWith: { first, _ in first })
            scores = order.compactMap { byLabel[$0] }
        }
        self.init(
            predictionID: e.id, eventTime: e.timestamp, numericFeatures: e.numeric, categoryFeatures: e.categorical,
            prediction: e.prediction, score: e.score, scores: scores, latencyMilliseconds: e.latencyMilliseconds,
            modelVersion: e.modelVersion)
    }
}
