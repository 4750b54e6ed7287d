/// Binary ROC AUC from scores counted on a fixed grid (bins of equal width, e.g. 10,000 over [0, 1]): the
/// Mann–Whitney form with every positive/negative pair in one bin counted as a tie (½):
/// `AUC = Σ_b P_b (N_{<b} + ½ N_b) / (P N)`. The exact AUC (``ROCAUC/binary(scores:isPositive:)``, equal to
/// scikit-learn's `roc_auc_score`) differs by at most `bound = ½ Σ_b P_b N_b / (P N)`, the share of pairs
/// the grid cannot order; it is exact (bound 0) when no bin holds both a positive and a negative.
public enum BinnedROCAUC {
    /// The AUC and its error bound; nil when a class is absent (scikit-learn raises), a count is negative, or
    /// the pair count reaches 2⁵² (twice it must stay exact in a double).
    /// `positives[b]` and `negatives[b]` count the positives and negatives in bin `b` (grid order).
    public static func auc(positives: [Int: Int], negatives: [Int: Int]) -> (auc: Double, bound: Double)? {
        let bins = Set(positives.keys).union(negatives.keys).sorted()
        let sorted = bins.map { (positives: positives[$0] ?? 0, negatives: negatives[$0] ?? 0) }
        var positives = 0
        var negatives = 0
        for bin in sorted {
            let p = positives.addingReportingOverflow(bin.positives)
            let n = negatives.addingReportingOverflow(bin.negatives)
            guard bin.positives >= 0, bin.negatives >= 0, !p.overflow, !n.overflow else { return nil }
            (positives, negatives) = (p.partialValue, n.partialValue)
        }
        let pairs = positives.multipliedReportingOverflow(by: negatives)
        guard positives > 0, negatives > 0, !pairs.overflow, pairs.partialValue < 1 << 52 else { return nil }
        // Twice U and the tied pairs, in integers (each ≤ 2·P·N < 2⁵³).
        var twiceU = 0
        var ties = 0
        var below = 0
        for bin in sorted {
            twiceU += bin.positives * (2 * below + bin.negatives)
            ties += bin.positives * bin.negatives
            below += bin.negatives
        }
        let denominator = Double(pairs.partialValue)
        return (Double(twiceU) / 2 / denominator, Double(ties) / 2 / denominator)
    }
}
