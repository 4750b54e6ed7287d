/// Wasserstein-1 (earth mover's) distance between two empirical distributions.
public enum Wasserstein {
    /// `W1 = ∫ |F_r(t) - F_c(t)| dt = Σ_i |F_r(z_i) - F_c(z_i)| (z_{i+1} - z_i)` over the sorted pooled
    /// values z (`scipy.stats.wasserstein_distance`, unweighted). Merge walk, O(n + m) on sorted samples,
    /// compensated summation. NaN when either sample is empty.
    public static func distance(_ reference: SortedSample, _ current: SortedSample) -> Double {
        let r = reference.values
        let c = current.values
        guard !r.isEmpty, !c.isEmpty else { return .nan }
        let nr = Double(r.count)
        let nc = Double(c.count)
        var i = 0
        var j = 0
        var sum = CompensatedSum()
        var previous = Swift.min(r[0], c[0])
        while i < r.count || j < c.count {
            let v = (j >= c.count || (i < r.count && r[i] <= c[j])) ? r[i] : c[j]
            if v != previous {
                // F evaluated at `previous` (right-continuous): i and j count the values <= previous.
                let diff = abs(Double(i) / nr - Double(j) / nc)
                sum.add(diff * (v - previous))
                previous = v
            }
            while i < r.count && r[i] == v { i += 1 }
            while j < c.count && c[j] == v { j += 1 }
        }
        return sum.value
    }

    /// Evidently's "Wasserstein distance (normed)": `W1 / max(std_ddof0(reference), 0.001)`.
    /// Returns the value and the norm used.
    public static func normedDistance(
        _ reference: SortedSample, _ current: SortedSample
    )
        -> (value: Double, norm: Double)
    {
        let norm = Swift.max(reference.populationStandardDeviation ?? .nan, 0.001)
        return (distance(reference, current) / norm, norm)
    }
}
