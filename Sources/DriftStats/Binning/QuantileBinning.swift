/// Quantile cut points and right-closed bin counts (Driftwatch's default binning).
public enum QuantileBinning {
    /// The reference quantile at probability `p`, bit-exact with `numpy.quantile(x, p)` (method
    /// `linear`, Hyndman–Fan type 7): `h = (n-1)p`, `j = floor(h)`, `g = h - j`, `d = x[j+1] - x[j]`;
    /// `x[j] + d·g` if `g < 0.5`, else `x[j+1] - d·(1-g)` (numpy's lerp); `x[n-1]` when `h >= n-1`.
    /// O(1). Returns NaN for an empty sample.
    public static func quantile(_ sample: SortedSample, _ p: Double) -> Double {
        let x = sample.values
        let n = x.count
        guard n > 0 else { return .nan }
        let h = Double(n - 1) * p
        if h >= Double(n - 1) { return x[n - 1] }
        if h <= 0 { return x[0] }
        let j = Int(clampingFinite: h.rounded(.down))  // NaN p: rank 0, a NaN quantile
        let g = h - Double(j)
        let a = x[j]
        let b = x[j + 1]
        let d = b - a
        return g >= 0.5 ? b - d * (1 - g) : a + d * g
    }

    /// Distinct interior cut points at p = k/bins, k = 1…bins-1 (duplicates collapsed, ascending).
    /// For `bins = 10` these are the reference deciles of `psi_decile` in the golden corpus. O(bins).
    public static func cutPoints(reference: SortedSample, bins: Int) -> [Double] {
        guard bins > 1, !reference.isEmpty else { return [] }
        var cuts: [Double] = []
        cuts.reserveCapacity(bins - 1)
        for k in 1..<bins {
            let q = quantile(reference, Double(k) / Double(bins))
            if let last = cuts.last, last == q { continue }
            cuts.append(q)
        }
        return cuts
    }

    /// Counts per right-closed bin `(-inf, c1], (c1, c2], …, (cm, +inf)`: a value equal to a cut point
    /// falls in the bin on its left (bin index = number of cut points strictly below the value).
    /// O(m log n) on a sorted sample.
    public static func counts(_ sample: SortedSample, cutPoints: [Double]) -> [Int] {
        counts(total: sample.count, cutPoints: cutPoints) { sample.countLessThanOrEqual($0) }
    }

    /// Per-bin counts from the number of values `<= c` at each cut point `c`.
    static func counts(total: Int, cutPoints: [Double], upTo: (Double) -> Int) -> [Int] {
        var counts: [Int] = []
        counts.reserveCapacity(cutPoints.count + 1)
        var below = 0
        for c in cutPoints {
            let through = upTo(c)
            counts.append(through - below)
            below = through
        }
        counts.append(total - below)
        return counts
    }
}
