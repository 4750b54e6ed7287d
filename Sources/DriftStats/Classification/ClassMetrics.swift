/// Precision, recall, F1 and support of one class (scikit-learn's per-class row of
/// `precision_recall_fscore_support`, `zero_division=0`).
public struct ClassMetrics: Sendable, Equatable, Codable {
    /// The class label.
    public let label: String
    /// `TP / (TP + FP)`, 0 when nothing was predicted as this class.
    public let precision: Double
    /// `TP / (TP + FN)`, 0 when the class never occurs.
    public let recall: Double
    /// `2TP / (2TP + FP + FN)`, 0 when that is 0/0.
    public let f1: Double
    /// Number of rows whose true label is this class.
    public let support: Int

    /// Metrics from the counts of one class: O(1). `zero_division = 0` for every 0/0.
    public init(label: String, truePositives: Int, predictedCount: Int, support: Int) {
        self.label = label
        let tp = Double(truePositives)
        self.precision = ClassMetrics.ratio(tp, Double(predictedCount))
        self.recall = ClassMetrics.ratio(tp, Double(support))
        self.f1 = ClassMetrics.ratio(2 * tp, Double(predictedCount) + Double(support))
        self.support = support
    }

    /// `numerator / denominator`, or 0 when the denominator is 0 (scikit-learn's `zero_division=0`).
    /// Counts are converted to Double first (exact below 2⁵³, no overflow).
    static func ratio(_ numerator: Double, _ denominator: Double) -> Double {
        denominator == 0 ? 0 : numerator / denominator
    }
}
