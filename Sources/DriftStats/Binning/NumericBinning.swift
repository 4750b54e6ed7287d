/// Bins a numeric column of reference and current values by one of the `BinningMode`s.
public enum NumericBinning {
    /// Evidently's cut-off: with at most this many distinct reference values, one bin per value.
    public static let evidentlyDistinctValueLimit = 20

    /// The bins and shares of `reference` and `current` under `mode`. `bins` is the number of
    /// quantile bins (`quantile` mode only; the other modes choose their own). O(n) for the modes
    /// that need a pass over the data, O(bins log n) for `quantile`.
    public static func bin(
        reference: SortedSample, current: SortedSample, mode: BinningMode, bins: Int = 10
    ) -> BinnedComparison {
        switch mode {
        case .quantile:
            let cuts = QuantileBinning.cutPoints(reference: reference, bins: bins)
            return make(
                rule: "quantile_right_closed", edges: cuts, keys: [],
                reference: QuantileBinning.counts(reference, cutPoints: cuts),
                current: QuantileBinning.counts(current, cutPoints: cuts),
                referenceTotal: reference.count, currentTotal: current.count)
        case .evidently:
            if reference.distinctCount > evidentlyDistinctValueLimit {
                let lo = Swift.min(reference.min ?? .infinity, current.min ?? .infinity)
                let hi = Swift.max(reference.max ?? -.infinity, current.max ?? -.infinity)
                let edges = EqualWidthBinning.sturgesEdges(
                    min: lo, max: hi, count: reference.count + current.count)
                return make(
                    rule: "sturges_equal_width_on_combined_ref_plus_cur", edges: edges, keys: [],
                    reference: EqualWidthBinning.counts(reference, edges: edges),
                    current: EqualWidthBinning.counts(current, edges: edges),
                    referenceTotal: reference.count, currentTotal: current.count)
            }
            let (values, refCounts, curCounts) = distinctValueCounts(reference, current)
            return make(
                rule: "one_bin_per_distinct_value_in_ref_union_cur", edges: [],
                keys: values.map { $0.description }, reference: refCounts, current: curCounts,
                referenceTotal: reference.count, currentTotal: current.count)
        case .nannyml:
            let edges = EqualWidthBinning.doaneEdges(reference)
            let binned = make(
                rule: "doane_equal_width_on_reference", edges: edges, keys: [],
                reference: EqualWidthBinning.counts(reference, edges: edges),
                current: EqualWidthBinning.counts(current, edges: edges),
                referenceTotal: reference.count, currentTotal: current.count)
            return withLeftoverBin(binned, currentTotal: current.count)
        }
    }

    /// `quantile` binning on bucketed samples of one grid: the same bins and counts as `bin(reference:
    /// current:mode: .quantile, bins:)` on the sorted samples.
    public static func quantileBins(
        reference: inout BucketedSample, current: inout BucketedSample, bins: Int = 10
    ) -> BinnedComparison {
        current.request(QuantileBinning.bucketsNeeded(reference: reference, bins: bins).cuts)
        let cuts = QuantileBinning.cutPoints(reference: &reference, bins: bins)
        return make(
            rule: "quantile_right_closed", edges: cuts, keys: [],
            reference: QuantileBinning.counts(&reference, cutPoints: cuts),
            current: QuantileBinning.counts(&current, cutPoints: cuts),
            referenceTotal: reference.count, currentTotal: current.count)
    }

    /// Distinct values of reference ∪ current in ascending order with their counts in each (merge walk, O(n)).
    public static func distinctValueCounts(
        _ reference: SortedSample, _ current: SortedSample
    )
        -> (values: [Double], reference: [Int], current: [Int])
    {
        let r = reference.values
        let c = current.values
        var values: [Double] = []
        var rc: [Int] = []
        var cc: [Int] = []
        var i = 0
        var j = 0
        while i < r.count || j < c.count {
            let v: Double
            if j >= c.count || (i < r.count && r[i] <= c[j]) { v = r[i] } else { v = c[j] }
            var nr = 0
            var nc = 0
            while i < r.count && r[i] == v {
                nr += 1
                i += 1
            }
            while j < c.count && c[j] == v {
                nc += 1
                j += 1
            }
            values.append(v)
            rc.append(nr)
            cc.append(nc)
        }
        return (values, rc, cc)
    }

    static func make(
        rule: String, edges: [Double], keys: [String], reference: [Int], current: [Int],
        referenceTotal: Int, currentTotal: Int
    ) -> BinnedComparison {
        BinnedComparison(
            rule: rule, edges: edges, keys: keys, referenceCounts: reference, currentCounts: current,
            referenceShares: shares(reference, total: referenceTotal),
            currentShares: shares(current, total: currentTotal), hasLeftoverBin: false)
    }

    /// `count / total` per bin (all zero when total is 0).
    static func shares(_ counts: [Int], total: Int) -> [Double] {
        guard total > 0 else { return counts.map { _ in 0 } }
        let t = Double(total)
        return counts.map { Double($0) / t }
    }

    /// NannyML's leftover rule: `lo = 1 - Σ q_i` in float64; when `lo > 0` a bin with q = lo, p = 0 is
    /// appended (so a rounding residue of ~1e-16 also creates it, as in NannyML).
    static func withLeftoverBin(_ b: BinnedComparison, currentTotal: Int) -> BinnedComparison {
        guard currentTotal > 0 else { return b }
        let leftover = 1 - PairwiseSum.numpySum(b.currentShares)
        guard leftover > 0 else { return b }
        let outside = currentTotal - b.currentCounts.reduce(0, +)
        return BinnedComparison(
            rule: b.rule, edges: b.edges, keys: b.keys, referenceCounts: b.referenceCounts + [0],
            currentCounts: b.currentCounts + [outside], referenceShares: b.referenceShares + [0],
            currentShares: b.currentShares + [leftover], hasLeftoverBin: true)
    }
}
