/// One-vs-rest ROC AUC of a multiclass problem
/// (`sklearn.metrics.roc_auc_score(y_true, y_score, multi_class='ovr')`).
public struct OneVsRestROCAUC: Sendable, Equatable, Codable {
    /// The classes that occur in the true labels, in ``LabelOrder`` order.
    public let labels: [String]
    /// Binary AUC of each class against all others, aligned with ``labels``.
    public let perClass: [Double]
    /// Number of rows of each class, aligned with ``labels``.
    public let support: [Int]
    /// `average='macro'`: the mean of ``perClass``.
    public let macro: Double
    /// `average='weighted'`: the support-weighted mean of ``perClass``.
    public let weighted: Double

    /// The averages of per-class AUCs. O(k).
    public init(labels: [String], perClass: [Double], support: [Int]) {
        self.labels = labels
        self.perClass = perClass
        self.support = support
        var macroSum = CompensatedSum()
        var weightedSum = CompensatedSum()
        for (auc, s) in zip(perClass, support) {
            macroSum.add(auc)
            weightedSum.add(auc * Double(s))
        }
        let totalSupport = support.reduce(0, +)
        self.macro = perClass.isEmpty ? .nan : macroSum.value / Double(perClass.count)
        self.weighted = totalSupport == 0 ? .nan : weightedSum.value / Double(totalSupport)
    }
}
