import DriftStats

/// Fine cut points of a reference column: its quantiles at p = j/resolution (numpy `linear`, bit-exact,
/// duplicates collapsed). Because j/resolution for j = k·resolution/bins is the same double as k/bins,
/// the grid contains the `bins` quantile cut points exactly whenever `bins` divides `resolution`, so
/// counts on the grid add up to the quantile-binning counts without error.
package struct QuantileGrid: Sendable, Equatable, Codable {
    /// Ascending distinct cut points; bins are right-closed `(-inf, c1], (c1, c2], …, (cm, +inf)`.
    package let cutPoints: [Double]
    package let resolution: Int
    /// Fine bins per reference: 1,000 (each holds at most ~0.1 % of the reference, and every bin count
    /// dividing 1,000 — 10, 20, 25, 50, … — has its quantile cut points on the grid).
    package static let defaultResolution = 1000

    /// The grid of `reference` at `resolution` (default 1,000: bins of at most ~0.1 % of the reference).
    package init(reference: SortedSample, resolution: Int = 1000) {
        self.resolution = resolution
        cutPoints = QuantileBinning.cutPoints(reference: reference, bins: resolution)
    }

    /// A grid with the given ascending distinct cut points (e.g. decoded from a stored profile).
    package init(cutPoints: [Double], resolution: Int) {
        self.cutPoints = cutPoints
        self.resolution = resolution
    }

    /// The grid with no cut points: one bin (used where no reference exists yet).
    package static let single = QuantileGrid(cutPoints: [], resolution: 1)

    private enum CodingKeys: String, CodingKey { case cutPoints = "cut_points", resolution }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(PackedDoubles(cutPoints), forKey: .cutPoints)
        try c.encode(resolution, forKey: .resolution)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cutPoints = try c.decode(PackedDoubles.self, forKey: .cutPoints).values
        resolution = try c.decode(Int.self, forKey: .resolution)
    }

    /// Number of bins (cut points + 1).
    package var binCount: Int { cutPoints.count + 1 }

    /// The bin of `value`: the number of cut points strictly below it (binary search, O(log m)).
    @inlinable
    package func bin(of value: Double) -> Int {
        var lo = 0
        var hi = cutPoints.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cutPoints[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Counts per quantile bin for `bins` (which must divide `resolution`): sums of the fine counts.
    /// Returns nil when `bins` does not divide the resolution.
    package func coarseCounts(
        _ fine: [Int], bins: Int, reference: SortedSample
    ) -> (cutPoints: [Double], counts: [Int])? {
        guard bins > 1, resolution % bins == 0 else { return nil }
        let coarse = QuantileBinning.cutPoints(reference: reference, bins: bins)
        return (coarse, coarseCounts(fine, coarseCutPoints: coarse))
    }

    /// Counts per bin of `coarse` (cut points that are all on this grid) from counts per fine bin (sums
    /// saturate at `Int.max`). O(bins).
    package func coarseCounts(_ fine: [Int], coarseCutPoints coarse: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: coarse.count + 1)
        var k = 0
        for (i, n) in fine.enumerated() {
            // Fine bin i is (c_i, c_{i+1}]; it lies in the coarse bin holding its upper cut point.
            let upper = i < cutPoints.count ? cutPoints[i] : .infinity
            while k < coarse.count && coarse[k] < upper { k += 1 }
            counts[k] = counts[k].addingSaturating(n)
        }
        return counts
    }
}

extension QuantileGrid {
    /// The two-sample KS statistic evaluated only at the grid's cut points:
    /// `max_c |F_r(c) - F_c(c)|` from counts per fine bin. Never above the exact D, and below it by at most
    /// the largest share either sample has in one bin. O(bins).
    package static func ksStatistic(referenceCounts: [Int], currentCounts: [Int]) -> Double {
        let nr = Double(referenceCounts.reduce(0) { $0.addingSaturating($1) })
        let nc = Double(currentCounts.reduce(0) { $0.addingSaturating($1) })
        guard nr > 0, nc > 0 else { return .nan }
        var cr = 0
        var cc = 0
        var d = 0.0
        for (r, c) in zip(referenceCounts, currentCounts) {
            cr = cr.addingSaturating(r)
            cc = cc.addingSaturating(c)
            d = Swift.max(d, abs(Double(cr) / nr - Double(cc) / nc))
        }
        return d
    }
}
