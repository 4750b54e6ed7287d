extension QuantileBinning {
    /// Rank `j` and the weight `g` of numpy's `linear` quantile at `p` on `n` values (`h = (n-1)p`,
    /// `j = floor(h)`, `g = h - j`); `g` is nil when the quantile is the value of rank `j` itself.
    static func ranks(count n: Int, _ p: Double) -> (j: Int, g: Double?) {
        let h = Double(n - 1) * p
        if h >= Double(n - 1) { return (n - 1, nil) }
        if h <= 0 { return (0, nil) }
        let j = Int(clampingFinite: h.rounded(.down))  // NaN p: rank 0, a NaN quantile
        return (j, h - Double(j))
    }

    /// `quantile(_:_:)` on a bucketed sample: the same value, bit for bit.
    public static func quantile(_ sample: inout BucketedSample, _ p: Double) -> Double {
        let n = sample.count
        guard n > 0 else { return .nan }
        let (j, weight) = ranks(count: n, p)
        let a = sample.orderStatistic(j)
        guard let g = weight else { return a }
        let b = sample.orderStatistic(j + 1)
        let d = b - a
        return g >= 0.5 ? b - d * (1 - g) : a + d * g
    }

    /// The buckets the interior quantiles of `cutPoints(reference:bins:)` read on the reference, and
    /// the ranges of buckets the cut points can fall in (for counting the other sample), from the
    /// counts alone: request them before the first pass so that one pass gathers everything.
    public static func bucketsNeeded(reference: BucketedSample, bins: Int) -> (reference: [Int], cuts: [Int]) {
        let n = reference.count
        guard bins > 1, n > 0 else { return ([], []) }
        var own: [Int] = []
        var cuts: [Int] = []
        for k in 1..<bins {
            let (j, weight) = ranks(count: n, Double(k) / Double(bins))
            let first = reference.bucket(ofRank: j)
            let last = weight == nil ? first : reference.bucket(ofRank: j + 1)
            own.append(first)
            own.append(last)
            cuts.append(contentsOf: first...last)
        }
        return (own, cuts)
    }

    /// `cutPoints(reference:bins:)` on a bucketed sample: the same cut points.
    public static func cutPoints(reference: inout BucketedSample, bins: Int) -> [Double] {
        guard bins > 1, reference.count > 0 else { return [] }
        reference.request(bucketsNeeded(reference: reference, bins: bins).reference)
        var cuts: [Double] = []
        cuts.reserveCapacity(bins - 1)
        for k in 1..<bins {
            let q = quantile(&reference, Double(k) / Double(bins))
            if let last = cuts.last, last == q { continue }
            cuts.append(q)
        }
        return cuts
    }

    /// `counts(_:cutPoints:)` on a bucketed sample: the same counts.
    public static func counts(_ sample: inout BucketedSample, cutPoints: [Double]) -> [Int] {
        let grid = sample.grid
        sample.request(cutPoints.map { grid.bucket($0) })
        return counts(total: sample.count, cutPoints: cutPoints) { sample.countLessThanOrEqual($0) }
    }
}
