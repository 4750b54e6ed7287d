/// Multiple-testing corrections of a family of p-values, as
/// `statsmodels.stats.multitest.multipletests` (statsmodels 0.14/0.15) returns them.
///
/// NaN p-values are left out of the family (m counts only the others); their adjusted value is NaN
/// and they are never rejected. Empty input gives empty output.
public enum PValueCorrection: String, Sendable, Codable, CaseIterable {
    /// Bonferroni: `p_adj = min(1, p·m)`; reject when `p ≤ α/m` (`method='bonferroni'`).
    case bonferroni
    /// Benjamini–Hochberg false discovery rate (`method='fdr_bh'`): with p sorted ascending,
    /// `p_adj(i) = min(1, min_{j ≥ i} p(j) · m / j)` (monotone step-up); reject every hypothesis up to
    /// the largest i with `p(i) ≤ (i/m)·α`.
    case benjaminiHochberg = "fdr_bh"

    /// Adjusted p-values in input order. O(m) for Bonferroni, O(m log m) for Benjamini–Hochberg.
    public func adjusted(_ pValues: [Double]) -> [Double] {
        let (order, m) = PValueCorrection.sortedFinite(pValues)
        var result = [Double](repeating: .nan, count: pValues.count)
        guard m > 0 else { return result }
        switch self {
        case .bonferroni:
            for i in order { result[i] = Swift.min(1, pValues[i] * Double(m)) }
        case .benjaminiHochberg:
            // statsmodels: p_sorted / (rank / m), then a running minimum from the largest rank down.
            var running = Double.infinity
            for rank in stride(from: m, through: 1, by: -1) {
                let i = order[rank - 1]
                running = Swift.min(running, pValues[i] / (Double(rank) / Double(m)))
                result[i] = Swift.min(1, running)
            }
        }
        return result
    }

    /// Whether each hypothesis is rejected at family-wise level (Bonferroni) or false discovery
    /// rate (Benjamini–Hochberg) `alpha`, with statsmodels' exact comparisons
    /// (`p ≤ α/m`; `p(i) ≤ (i/m)·α` step-up). Same complexity as ``adjusted(_:)``.
    public func rejected(_ pValues: [Double], alpha: Double = 0.05) -> [Bool] {
        let (order, m) = PValueCorrection.sortedFinite(pValues)
        var result = [Bool](repeating: false, count: pValues.count)
        guard m > 0 else { return result }
        switch self {
        case .bonferroni:
            let threshold = alpha / Double(m)
            for i in order { result[i] = pValues[i] <= threshold }
        case .benjaminiHochberg:
            var largest = 0
            for rank in 1...m where pValues[order[rank - 1]] <= Double(rank) / Double(m) * alpha {
                largest = rank
            }
            for rank in 0..<largest { result[order[rank]] = true }
        }
        return result
    }

    /// Indices of the non-NaN p-values in ascending order of p (stable), and their number.
    private static func sortedFinite(_ pValues: [Double]) -> (order: [Int], count: Int) {
        let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted { a, b in
            pValues[a] != pValues[b] ? pValues[a] < pValues[b] : a < b
        }
        return (order, order.count)
    }
}
