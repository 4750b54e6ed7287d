/// Evidently's `z` stattest: a two-proportion z-test with pooled variance.
public enum TwoProportionZTest {
    /// The two-sided p-value of Evidently 0.7.23's `z` stattest on per-category counts (same category
    /// order in both arrays): the **first** category is coded 0, every other category 1;
    /// `p1 = ones_r / n_r`, `p2 = ones_c / n_c`, `P = (p1 n_r + p2 n_c) / (n_r + n_c)`,
    /// `z = (p1 − p2) / √(P (1 − P) (1/n_r + 1/n_c))`, `p = 2 (1 − Φ(|z|))`, evaluated with the same
    /// operations as Evidently so the result matches it to ≈ 1e-15 absolute. O(K).
    ///
    /// Special values: 1 when both samples hold the same single category (Evidently's rule);
    /// NaN for an empty sample, unequal lengths, negative counts or no categories.
    /// When the z-statistic is so large that `Φ(|z|)` rounds to 1 the p-value is exactly 0, as in Evidently
    /// (use ``NormalDistribution/twoSidedPValue(_:)`` for a tail-accurate value).
    public static func pValue(referenceCounts: [Int], currentCounts: [Int]) -> Double {
        guard ChiSquare.isValid(referenceCounts, currentCounts), let zeroR = referenceCounts.first,
            let zeroC = currentCounts.first
        else { return .nan }
        // Totals in Double: exact below 2⁵³ and never overflowing.
        let n1 = referenceCounts.reduce(0.0) { $0 + Double($1) }
        let n2 = currentCounts.reduce(0.0) { $0 + Double($1) }
        guard n1 > 0, n2 > 0 else { return .nan }
        let occupiedR = referenceCounts.indices.filter { referenceCounts[$0] > 0 }
        let occupiedC = currentCounts.indices.filter { currentCounts[$0] > 0 }
        if occupiedR.count == 1, occupiedR == occupiedC { return 1 }
        let p1 = (n1 - Double(zeroR)) / n1
        let p2 = (n2 - Double(zeroC)) / n2
        let pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        let z = (p1 - p2) / (pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2)).squareRoot()
        return 2 * (1 - NormalDistribution.cdf(abs(z)))
    }
}
