/// A window's labelled predictions of one true label in one score bin — bin = floor(score × 10,000) for a
/// score in [0, 1], nil for a missing, NaN or out-of-range score — with their summed log losses were that
/// label the positive class (`Σ −ln(clip(score))`) or not (`Σ −ln(clip(1 − score))`), clipped as scikit-learn
/// clips (`LogLoss.clippingEpsilon`).
package struct ScoreTally: Sendable, Equatable {
    package let label: String
    package let bin: Int?
    package let count: Int
    package let lossIfPositive: Double
    package let lossIfNegative: Double

    package init(label: String, bin: Int?, count: Int, lossIfPositive: Double, lossIfNegative: Double) {
        self.label = label
        self.bin = bin
        self.count = count
        self.lossIfPositive = lossIfPositive
        self.lossIfNegative = lossIfNegative
    }
}
