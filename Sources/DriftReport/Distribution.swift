import DriftStats

/// The reference and current distributions of one column on shared display bins, as a report draws them:
/// overlaid histograms for a numeric column (equal-width bins; the first and last bins also hold the values
/// beyond the axis), side-by-side bars for a categorical one (the most frequent categories, the rest as one
/// "other" bar).
///
/// Counts are Doubles because a reference kept only on its quantile grid is spread over the display bins in
/// proportion to how much of each grid bin they cover (uniform within a grid bin).
package struct Distribution: Sendable, Equatable {
    /// What the bins are.
    package enum Bins: Sendable, Equatable {
        /// `edges.count == counts + 1`, ascending; bin i is [edges[i], edges[i+1]).
        case numeric(edges: [Double])
        /// One label per bin.
        case categorical(labels: [String])
    }

    package let bins: Bins
    package let reference: [Double]
    package let current: [Double]
    /// How the current side was read (e.g. "a sample of 10,000 of 2,000,000 events").
    package var note: String?

    package init(bins: Bins, reference: [Double], current: [Double], note: String? = nil) {
        self.bins = bins
        self.reference = reference
        self.current = current
        self.note = note
    }

    /// Shares of the counts (all zero when empty).
    package static func shares(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? $0 / total : 0 }
    }

    /// Bins the display uses at most for a numeric column.
    package static let numericBins = 30
    /// Categories drawn at most (the rest are one "other" bar).
    package static let topCategories = 12

    // MARK: numeric

    /// Both sides from their finite values, ascending (exact counts). O(bins · log n).
    package static func numeric(referenceSorted r: [Double], currentSorted c: [Double]) -> Distribution? {
        guard let first = r.first ?? c.first else { return nil }
        var lo = first
        var hi = first
        for side in [r, c] where !side.isEmpty {
            lo = Swift.min(lo, quantile(side, 0.005))
            hi = Swift.max(hi, quantile(side, 0.995))
        }
        let integral = isIntegral(r) && isIntegral(c)
        let edges = DisplayBins.edges(lo: lo, hi: hi, integral: integral)
        return Distribution(
            bins: .numeric(edges: edges), reference: countSorted(r, edges), current: countSorted(c, edges))
    }

    /// The reference kept on its quantile grid (ascending `cutPoints`, `fineCounts` per right-closed grid
    /// bin) or whole (`sortedValues`), the current side accumulated by `current`.
    package static func numeric(
        referenceSorted: [Double]?, gridCutPoints: [Double], fineCounts: [Int], current: NumericHistogramBuilder
    ) -> Distribution? {
        let referenceTotal = fineCounts.reduce(0, +)
        guard referenceTotal > 0 || current.count > 0 else { return nil }
        var lo = Double.infinity
        var hi = -Double.infinity
        if let s = referenceSorted, !s.isEmpty {
            lo = quantile(s, 0.005)
            hi = quantile(s, 0.995)
        } else if referenceTotal > 0 {
            (lo, hi) = gridQuantiles(gridCutPoints, fineCounts)
        }
        if let (a, b) = current.quantileRange() {
            lo = Swift.min(lo, a)
            hi = Swift.max(hi, b)
        }
        guard lo.isFinite, hi.isFinite else { return nil }
        let integral =
            current.integral
            && (referenceSorted.map(isIntegral) ?? gridCutPoints.allSatisfy { $0 == $0.rounded() })
        let edges = DisplayBins.edges(lo: lo, hi: hi, integral: integral)
        let reference: [Double]
        if let s = referenceSorted {
            reference = countSorted(s, edges)
        } else {
            reference = spreadGrid(gridCutPoints, fineCounts, edges)
        }
        return Distribution(bins: .numeric(edges: edges), reference: reference, current: current.counts(on: edges))
    }

    /// numpy's `linear` quantile of ascending values.
    static func quantile(_ s: [Double], _ p: Double) -> Double {
        guard s.count > 1 else { return s.first ?? .nan }
        let h = Double(s.count - 1) * p
        let i = Int(h.rounded(.down))
        let j = Swift.min(i + 1, s.count - 1)
        return s[i] + (h - Double(i)) * (s[j] - s[i])
    }

    static func isIntegral(_ s: [Double]) -> Bool {
        // O(n) but cheap next to the tests; stop at the first fraction. Infinities and NaN are not drawn.
        for v in s where v.isFinite && v != v.rounded() { return false }
        return true
    }

    /// The 0.5 % and 99.5 % points of a grid distribution (the cut point where the cumulative share passes).
    static func gridQuantiles(_ cuts: [Double], _ counts: [Int]) -> (Double, Double) {
        let total = Double(counts.reduce(0, +))
        var lo = cuts.first ?? 0
        var hi = cuts.last ?? 0
        var cumulative = 0.0
        var foundLow = false
        for (i, n) in counts.enumerated() {
            cumulative += Double(n)
            let upper = i < cuts.count ? cuts[i] : (cuts.last ?? 0)
            if !foundLow && cumulative >= 0.005 * total {
                lo = upper
                foundLow = true
            }
            if cumulative >= 0.995 * total {
                hi = upper
                break
            }
        }
        return (lo, hi)
    }

    /// Counts of sorted values per display bin; values below the first edge count in the first bin, values
    /// at or past the last edge in the last.
    static func countSorted(_ s: [Double], _ edges: [Double]) -> [Double] {
        let n = edges.count - 1
        guard n > 0 else { return [] }
        var counts = [Double](repeating: 0, count: n)
        var previous = 0
        for k in 1..<n {
            let below = lowerBound(s, edges[k])
            counts[k - 1] = Double(below - previous)
            previous = below
        }
        counts[n - 1] = Double(s.count - previous)
        return counts
    }

    /// Index of the first value ≥ x.
    static func lowerBound(_ s: [Double], _ x: Double) -> Int {
        var lo = 0
        var hi = s.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if s[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Grid counts spread over the display bins: grid bin i covers (cuts[i-1], cuts[i]], its count shared in
    /// proportion to the overlap (uniform within the grid bin); the two unbounded grid bins sit at the outer
    /// cut points. O(grid bins · display bins).
    static func spreadGrid(_ cuts: [Double], _ fine: [Int], _ edges: [Double]) -> [Double] {
        let n = edges.count - 1
        guard n > 0 else { return [] }
        var counts = [Double](repeating: 0, count: n)
        func bin(_ x: Double) -> Int {
            var k = 0
            while k < n - 1 && x >= edges[k + 1] { k += 1 }
            return k
        }
        for (i, count) in fine.enumerated() where count > 0 {
            // The unbounded outer grid bins sit at the outer cut points.
            guard i > 0, i < cuts.count, cuts[i] > cuts[i - 1] else {
                let x = i == 0 ? (cuts.first ?? edges[0]) : (cuts.last ?? edges[0])
                counts[bin(i > 0 && i < cuts.count ? cuts[i] : x)] += Double(count)
                continue
            }
            let u = cuts[i - 1]
            let v = cuts[i]
            for k in 0..<n {
                let a = k == 0 ? -Double.infinity : edges[k]
                let b = k == n - 1 ? Double.infinity : edges[k + 1]
                let overlap = Swift.min(b, v) - Swift.max(a, u)
                if overlap > 0 { counts[k] += Double(count) * overlap / (v - u) }
            }
        }
        return counts
    }

    // MARK: categorical

    /// Side-by-side bars of two category count tables: the categories with the largest share on either side
    /// first (at most `topCategories`), the rest summed into "other (k categories)".
    package static func categorical(reference: [String: Int], current: [String: Int]) -> Distribution? {
        let rTotal = Double(reference.values.reduce(0, +))
        let cTotal = Double(current.values.reduce(0, +))
        guard rTotal > 0 || cTotal > 0 else { return nil }
        let keys = Set(reference.keys).union(current.keys)
        func weight(_ k: String) -> Double {
            Swift.max(
                rTotal > 0 ? Double(reference[k] ?? 0) / rTotal : 0, cTotal > 0 ? Double(current[k] ?? 0) / cTotal : 0)
        }
        let ranked = keys.map { ($0, weight($0)) }.sorted {
            $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars)
        }.map(\.0)
        let shown = ranked.count > topCategories ? Array(ranked.prefix(topCategories - 1)) : ranked
        var labels = shown
        var r = shown.map { Double(reference[$0] ?? 0) }
        var c = shown.map { Double(current[$0] ?? 0) }
        if shown.count < ranked.count {
            let rest = ranked.dropFirst(shown.count)
            labels.append("other (\(rest.count) categories)")
            r.append(Double(rest.reduce(0) { $0 + (reference[$1] ?? 0) }))
            c.append(Double(rest.reduce(0) { $0 + (current[$1] ?? 0) }))
        }
        return Distribution(bins: .categorical(labels: labels), reference: r, current: c)
    }
}

/// Display bin edges for a numeric axis.
package enum DisplayBins {
    /// Equal-width edges covering [lo, hi]: one bin per integer when the values are integers below 2⁵² in
    /// magnitude (where `v ± 0.5` is exact) and span at most `Distribution.numericBins` of them, else
    /// `Distribution.numericBins` bins (computed on halves when `hi - lo` overflows).
    package static func edges(
        lo: Double, hi: Double, integral: Bool, bins: Int = Distribution.numericBins
    )
        -> [Double]
    {
        if integral, hi - lo <= Double(bins), Swift.max(abs(lo), abs(hi)) < 0x1p52 {
            let a = lo.rounded(.down)
            let b = hi.rounded(.up)
            return stride(from: a - 0.5, through: b + 0.5, by: 1).map { $0 }
        }
        guard hi > lo else {
            let pad = Swift.max(abs(lo) * 0.05, 0.5)
            return [lo - pad, lo + pad]
        }
        let width = (hi - lo) / Double(bins)
        if width.isInfinite {
            // hi - lo overflows: the same edges computed on halves (every partial result stays finite).
            let half = hi / Double(2 * bins) - lo / Double(2 * bins)
            return (0...bins).map { $0 == bins ? hi : (lo / 2 + Double($0) * half) * 2 }
        }
        return (0...bins).map { $0 == bins ? hi : lo + Double($0) * width }
    }
}

/// Accumulates one numeric column's current values in bounded memory: counts on 600 equal-width fine bins
/// over the reference's range widened by its width on each side (values beyond are counted apart), the
/// minimum and maximum, and whether every value was an integer. `Distribution.numeric` re-bins it onto the
/// display bins (each fine bin by its centre).
package struct NumericHistogramBuilder: Sendable {
    package static let fineBins = 600
    let low: Double
    let width: Double
    var fine: [Int]
    var below = 0
    var above = 0
    var minimum = Double.infinity
    var maximum = -Double.infinity
    /// Finite values added.
    package private(set) var count = 0
    /// Whether every value added was an integer.
    package private(set) var integral = true

    /// A builder for a column whose reference lies (mostly) in [referenceLow, referenceHigh]. When the
    /// widened range overflows a Double or its fine bins would be narrower than the smallest Double, the
    /// fine bins cover [referenceLow, referenceHigh] itself (at least the smallest Double wide each).
    package init(referenceLow a: Double, referenceHigh b: Double) {
        let lo = a.isFinite ? a : 0
        let hi = b.isFinite && b >= lo ? b : lo
        let span = hi > lo ? hi - lo : Swift.max(abs(lo) * 0.5, 1)
        let widenedLow = lo - span
        let widenedWidth = (hi + span - widenedLow) / Double(Self.fineBins)
        if widenedLow.isFinite, widenedWidth.isFinite, widenedWidth > 0 {
            low = widenedLow
            width = widenedWidth
        } else {
            low = lo
            width = Swift.max(hi / Double(Self.fineBins) - lo / Double(Self.fineBins), .leastNonzeroMagnitude)
        }
        fine = [Int](repeating: 0, count: Self.fineBins)
    }

    /// Adds one value (non-finite values are ignored: the report counts them as missing). A value whose fine
    /// bin is past the integer range (1e300, or ~1e17 on a narrow range) is counted below or above.
    package mutating func add(_ v: Double) {
        guard v.isFinite else { return }
        count += 1
        if integral && v != v.rounded() { integral = false }
        minimum = Swift.min(minimum, v)
        maximum = Swift.max(maximum, v)
        // low and width are finite and width > 0, so the quotient is never NaN; ±inf clamps to an end.
        let k = Int(clampingFinite: ((v - low) / width).rounded(.down))
        if k < 0 {
            below += 1
        } else if k >= Self.fineBins {
            above += 1
        } else {
            fine[k] += 1
        }
    }

    /// The approximate 0.5 % and 99.5 % points (within a fine bin; the observed extremes beyond the fine
    /// range), nil when empty.
    func quantileRange() -> (Double, Double)? {
        guard count > 0 else { return nil }
        let total = Double(count)
        func point(_ p: Double) -> Double {
            var cumulative = Double(below)
            if cumulative >= p * total { return minimum }
            for (k, n) in fine.enumerated() {
                cumulative += Double(n)
                if cumulative >= p * total { return low + Double(k + 1) * width }
            }
            return maximum
        }
        return (Swift.max(point(0.005), minimum), Swift.min(point(0.995), maximum))
    }

    /// Counts per display bin (fine bins by their centre; values beyond the fine range in the outer bins).
    func counts(on edges: [Double]) -> [Double] {
        let n = edges.count - 1
        guard n > 0 else { return [] }
        var counts = [Double](repeating: 0, count: n)
        counts[0] += Double(below)
        counts[n - 1] += Double(above)
        var k = 0
        for (i, c) in fine.enumerated() where c > 0 {
            let centre = low + (Double(i) + 0.5) * width
            while k > 0 && centre < edges[k] { k -= 1 }
            while k < n - 1 && centre >= edges[k + 1] { k += 1 }
            counts[k] += Double(c)
        }
        return counts
    }
}
