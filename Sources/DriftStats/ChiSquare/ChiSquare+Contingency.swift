extension ChiSquare {
    /// Pearson's chi-square test of independence on the 2×K table `[reference; current]`;
    /// matches `scipy.stats.chi2_contingency(table, correction=correction)` (scipy 1.17.1).
    ///
    /// `E_ij = row_i · col_j / total`, `X² = Σ (O − E)² / E`, dof = K − 1, p = `chi2.sf(X², dof)`.
    /// With `correction` (scipy's default) Yates' continuity correction is applied **only when
    /// dof = 1** (K = 2): every O moves towards E by `min(0.5, |O − E|)` before summing.
    /// K = 1 (dof 0) gives statistic 0 and p-value 1, as scipy does. Complexity O(K).
    ///
    /// - Precondition (documented, not trapped): every category has a non-zero count in at least one
    ///   row — scipy raises for a column of zeros (zero expected frequency). Such categories are
    ///   **dropped** here before the test (so dof counts only categories that occur).
    /// - Returns: NaN statistic and p-value when the vectors differ in length, hold a negative count,
    ///   or either row sums to 0 (scipy raises in all three cases; no table at all gives dof 0).
    public static func contingency(
        referenceCounts: [Int], currentCounts: [Int], correction: Bool = true
    )
        -> ChiSquareResult
    {
        guard isValid(referenceCounts, currentCounts) else {
            return .undefined(degreesOfFreedom: Swift.max(referenceCounts.count, currentCounts.count) - 1)
        }
        var reference = [Double]()
        var current = [Double]()
        for (r, c) in zip(referenceCounts, currentCounts) where r != 0 || c != 0 {
            reference.append(Double(r))
            current.append(Double(c))
        }
        let categories = reference.count
        let dof = Swift.max(categories - 1, 0)
        let referenceTotal = reference.reduce(0, +)
        let currentTotal = current.reduce(0, +)
        guard referenceTotal > 0, currentTotal > 0 else { return .undefined(degreesOfFreedom: dof) }
        if dof == 0 {
            return ChiSquareResult(statistic: 0, pValue: 1, degreesOfFreedom: 0, yatesCorrectionApplied: false)
        }
        let total = referenceTotal + currentTotal
        let yates = correction && dof == 1
        // Same operation order as scipy: expected = (row · col) / total, terms summed row by row.
        var statistic = 0.0
        for (observedRow, rowTotal) in [(reference, referenceTotal), (current, currentTotal)] {
            for j in 0..<categories {
                let expected = rowTotal * (reference[j] + current[j]) / total
                var observed = observedRow[j]
                if yates {
                    let difference = expected - observed
                    let magnitude = Swift.min(0.5, abs(difference))
                    observed += difference > 0 ? magnitude : (difference < 0 ? -magnitude : 0)
                }
                let deviation = observed - expected
                statistic += deviation * deviation / expected
            }
        }
        return ChiSquareResult(
            statistic: statistic, pValue: ChiSquaredDistribution.survival(statistic, dof),
            degreesOfFreedom: dof, yatesCorrectionApplied: yates)
    }
}
