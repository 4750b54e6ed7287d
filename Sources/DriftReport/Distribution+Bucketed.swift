import DriftStats

extension Distribution {
    /// The ranks `numeric(reference:current:)` reads on a sample of `n` values (the 0.5 % and 99.5 %
    /// points and the minimum), so that they can be requested before the first gathering pass.
    package static func ranksNeeded(count n: Int) -> [Int] {
        guard n > 0 else { return [] }
        var ranks = [0]
        for p in [0.005, 0.995] {
            let h = Double(n - 1) * p
            let i = Int(h.rounded(.down))
            ranks.append(i)
            ranks.append(Swift.min(i + 1, n - 1))
        }
        return ranks
    }

    /// `numeric(referenceSorted:currentSorted:)` on bucketed samples of one grid: the same bins and counts,
    /// reading only the buckets around the display range's quantiles and edges.
    package static func numeric(reference r: inout BucketedSample, current c: inout BucketedSample) -> Distribution? {
        for side in [0, 1] {
            let n = side == 0 ? r.count : c.count
            let buckets = ranksNeeded(count: n).map { side == 0 ? r.bucket(ofRank: $0) : c.bucket(ofRank: $0) }
            if side == 0 { r.request(buckets) } else { c.request(buckets) }
        }
        let first: Double
        if r.count > 0 {
            first = r.orderStatistic(0)
        } else if c.count > 0 {
            first = c.orderStatistic(0)
        } else {
            return nil
        }
        var lo = first
        var hi = first
        if r.count > 0 {
            lo = Swift.min(lo, quantile(&r, 0.005))
            hi = Swift.max(hi, quantile(&r, 0.995))
        }
        if c.count > 0 {
            lo = Swift.min(lo, quantile(&c, 0.005))
            hi = Swift.max(hi, quantile(&c, 0.995))
        }
        let integral = [r.values, c.values].allSatisfy { side in side.allSatisfy { !$0.isFinite || $0 == $0.rounded() }
        }
        let edges = DisplayBins.edges(lo: lo, hi: hi, integral: integral)
        return Distribution(bins: .numeric(edges: edges), reference: counts(&r, edges), current: counts(&c, edges))
    }

    /// `quantile(_:_:)` (numpy's `linear`) on a bucketed sample.
    static func quantile(_ s: inout BucketedSample, _ p: Double) -> Double {
        guard s.count > 1 else { return s.count == 1 ? s.orderStatistic(0) : .nan }
        let h = Double(s.count - 1) * p
        let i = Int(h.rounded(.down))
        let j = Swift.min(i + 1, s.count - 1)
        let a = s.orderStatistic(i)
        return a + (h - Double(i)) * (s.orderStatistic(j) - a)
    }

    /// `countSorted(_:_:)` on a bucketed sample (one gathering pass for all the edges).
    static func counts(_ s: inout BucketedSample, _ edges: [Double]) -> [Double] {
        let n = edges.count - 1
        guard n > 0 else { return [] }
        let grid = s.grid
        s.request(edges.dropFirst().dropLast().map { grid.bucket($0) })
        var counts = [Double](repeating: 0, count: n)
        var previous = 0
        for k in 1..<n {
            let below = s.countLessThan(edges[k])
            counts[k - 1] = Double(below - previous)
            previous = below
        }
        counts[n - 1] = Double(s.count - previous)
        return counts
    }
}
