import DriftStats

/// A mergeable summary of one numeric column in one window.
///
/// Exact values are kept while the window holds at most `exactLimit` of them, so figures of small
/// windows equal the offline ones. Past that, values are counted on the reference's fine
/// `QuantileGrid`, so memory stays bounded by the grid, not by traffic: quantile-binned methods stay
/// exact (the grid contains their cut points); KS is then computed on the grid, which can only
/// under-estimate D, by at most the largest bin's share (about 1/resolution of the reference plus the
/// current window's share of that bin). Merging is exact and order-independent.
package struct NumericProfile: Sendable, Equatable, Codable {
    package private(set) var count = 0
    package private(set) var missing = 0
    package private(set) var nonFinite = 0
    /// The values while exact (unsorted), else nil.
    package private(set) var values: [Double]?
    /// Counts on the grid once past the exact limit.
    package private(set) var gridCounts: [Int]?
    package let exactLimit: Int

    package init(exactLimit: Int = 10_000) {
        self.exactLimit = exactLimit
        values = []
    }

    /// `true` while every value is kept.
    package var isExact: Bool { values != nil }

    /// Adds one observation (NaN counts as missing, ±inf as non-finite; neither enters the tests).
    package mutating func add(_ value: Double?, grid: QuantileGrid) {
        guard let value, !value.isNaN else {
            missing += 1
            return
        }
        guard value.isFinite else {
            nonFinite += 1
            return
        }
        count += 1
        if values != nil {
            values?.append(value)
            if count > exactLimit { spill(grid: grid) }
        } else if var counts = gridCounts {
            gridCounts = nil  // keeps `counts` uniquely referenced: changed in place
            Self.fit(&counts, to: grid)
            counts[grid.bin(of: value)] += 1
            gridCounts = counts
        }
    }

    /// Adds everything `other` holds (same grid); counts saturate at `Int.max` (stored profiles are checked
    /// on decoding, but any number of them may be merged).
    package mutating func merge(_ other: NumericProfile, grid: QuantileGrid) {
        missing = missing.addingSaturating(other.missing)
        nonFinite = nonFinite.addingSaturating(other.nonFinite)
        count = count.addingSaturating(other.count)
        switch (values, other.values) {
        case (.some, .some(let theirs)) where count <= exactLimit:
            values?.append(contentsOf: theirs)
        default:
            spill(grid: grid)
            if let theirs = other.values {
                if var counts = gridCounts {
                    gridCounts = nil  // keeps `counts` uniquely referenced: added in place
                    Self.fit(&counts, to: grid)
                    for v in theirs { counts[grid.bin(of: v)] += 1 }
                    gridCounts = counts
                }
            } else if var theirs = other.gridCounts {
                if var counts = gridCounts {
                    gridCounts = nil  // keeps `counts` uniquely referenced: added in place
                    Self.fit(&counts, to: grid)
                    Self.fit(&theirs, to: grid)
                    for (i, n) in theirs.enumerated() { counts[i] = counts[i].addingSaturating(n) }
                    gridCounts = counts
                }
            }
        }
    }

    /// Makes stored counts one per bin of `grid` (a profile stored under another grid, or damaged): missing
    /// bins are zero, counts beyond the last bin are added to it. A no-op for counts of this grid.
    static func fit(_ counts: inout [Int], to grid: QuantileGrid) {
        let n = max(grid.binCount, 1)
        guard counts.count != n else { return }
        if counts.count < n {
            counts += [Int](repeating: 0, count: n - counts.count)
        } else {
            let rest = counts[n...].reduce(0) { $0.addingSaturating($1) }
            counts.removeLast(counts.count - n)
            counts[n - 1] = counts[n - 1].addingSaturating(rest)
        }
    }

    /// Moves the exact values onto the grid (no-op when already there).
    mutating func spill(grid: QuantileGrid) {
        guard let exact = values else { return }
        var counts = [Int](repeating: 0, count: grid.binCount)
        for v in exact { counts[grid.bin(of: v)] += 1 }
        gridCounts = counts
        values = nil
    }

    private enum CodingKeys: String, CodingKey {
        case count, missing, nonFinite = "non_finite", values, gridCounts = "grid_counts", exactLimit = "exact_limit"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(missing, forKey: .missing)
        try c.encode(nonFinite, forKey: .nonFinite)
        try c.encodeIfPresent(values.map(PackedDoubles.init), forKey: .values)
        try c.encodeIfPresent(gridCounts, forKey: .gridCounts)
        try c.encode(exactLimit, forKey: .exactLimit)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count)
        missing = try c.decode(Int.self, forKey: .missing)
        nonFinite = try c.decode(Int.self, forKey: .nonFinite)
        values = try c.decodeIfPresent(PackedDoubles.self, forKey: .values)?.values
        gridCounts = try c.decodeIfPresent([Int].self, forKey: .gridCounts)
        exactLimit = try c.decode(Int.self, forKey: .exactLimit)
        guard (values == nil) != (gridCounts == nil) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "exactly one of values and grid_counts is expected"))
        }
        guard StoredCounts.areValid([count, missing, nonFinite]), StoredCounts.areValid(gridCounts ?? []) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "counts must be in 0…2⁵³ (and so must their total)"))
        }
    }

    /// Counts per fine grid bin, whether exact or not.
    package func fineCounts(grid: QuantileGrid) -> [Int] {
        if var counts = gridCounts {
            Self.fit(&counts, to: grid)
            return counts
        }
        var counts = [Int](repeating: 0, count: grid.binCount)
        for v in values ?? [] { counts[grid.bin(of: v)] += 1 }
        return counts
    }
}

/// A mergeable summary of one categorical column in one window: counts per category.
package struct CategoricalProfile: Sendable, Equatable, Codable {
    package private(set) var counts: [String: Int] = [:]
    package private(set) var missing = 0

    package init() {}

    /// A profile with the given counts.
    package init(counts: [String: Int], missing: Int) {
        self.counts = counts
        self.missing = missing
    }

    /// The category that stands for the values beyond a profile's cap.
    package static let other = "__other__"

    /// Counts `value` (nil: missing). With `cap`, the profile holds at most `cap` categories: it may grow
    /// to twice that, and is then cut back to the `cap` most frequent (ties by value), the rest counted in
    /// `__other__`, so memory is bounded by the cap, never by distinct values.
    package mutating func add(_ value: String?, cap: Int? = nil) {
        guard let value else {
            missing += 1
            return
        }
        counts[value, default: 0] += 1
        if let cap { limit(to: cap) }
    }

    /// Adds everything `other` holds (counts saturate at `Int.max`); with `cap`, as `add` does.
    package mutating func merge(_ other: CategoricalProfile, cap: Int? = nil) {
        missing = missing.addingSaturating(other.missing)
        for (k, n) in other.counts {
            counts[k] = (counts[k] ?? 0).addingSaturating(n)
            if let cap { limit(to: cap) }
        }
        if let cap, counts.count > cap { prune(to: cap) }
    }

    /// Cuts the profile back to `cap` categories once it holds twice as many.
    mutating func limit(to cap: Int) {
        if counts.count >= 2 * max(cap, 1) { prune(to: cap) }
    }

    /// Keeps the `cap` − 1 most frequent categories (ties by value) and counts the rest in `__other__`.
    package mutating func prune(to cap: Int) {
        guard counts.count > cap else { return }
        let otherCount = counts.removeValue(forKey: Self.other) ?? 0
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let keep = max(cap - 1, 0)
        var kept = [String: Int](minimumCapacity: keep + 1)
        var folded = otherCount
        for (i, (k, n)) in ranked.enumerated() {
            if i < keep { kept[k] = n } else { folded = folded.addingSaturating(n) }
        }
        if folded > 0 { kept[Self.other] = folded }
        counts = kept
    }

    /// Observations that are not missing (saturating at `Int.max`).
    package var count: Int { counts.values.reduce(0) { $0.addingSaturating($1) } }

    private enum CodingKeys: String, CodingKey { case counts, missing }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(counts, forKey: .counts)
        try c.encode(missing, forKey: .missing)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        counts = try c.decode([String: Int].self, forKey: .counts)
        missing = try c.decode(Int.self, forKey: .missing)
        guard StoredCounts.areValid(counts.values), StoredCounts.areValid([missing]) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "counts must be in 0…2⁵³ (and so must their total)"))
        }
    }
}
