import DriftStats

/// A mergeable summary of one numeric column in one window.
///
/// Exact values are kept while the window holds at most `exactLimit` of them, so figures of small
/// windows equal the offline ones. Past that, values are counted on the reference's fine
/// `QuantileGrid`, so memory stays bounded by the grid, not by traffic: quantile-binned methods stay
/// exact (the grid contains their cut points); KS is then computed on the grid, which can only
/// under-estimate D, by at most the largest bin's share (about 1/resolution of the reference plus the
/// current window's share of that bin). Merging is exact and order-independent.
public struct NumericProfile: Sendable, Equatable, Codable {
    public private(set) var count = 0
    public private(set) var missing = 0
    public private(set) var nonFinite = 0
    /// The values while exact (unsorted), else nil.
    public private(set) var values: [Double]?
    /// Counts on the grid once past the exact limit.
    public private(set) var gridCounts: [Int]?
    public let exactLimit: Int

    public init(exactLimit: Int = 10_000) {
        self.exactLimit = exactLimit
        values = []
    }

    /// `true` while every value is kept.
    public var isExact: Bool { values != nil }

    /// Adds one observation (NaN counts as missing, ±inf as non-finite; neither enters the tests).
    public mutating func add(_ value: Double?, grid: QuantileGrid) {
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
        } else {
            gridCounts?[grid.bin(of: value)] += 1
        }
    }

    /// Adds everything `other` holds (same grid).
    public mutating func merge(_ other: NumericProfile, grid: QuantileGrid) {
        missing += other.missing
        nonFinite += other.nonFinite
        count += other.count
        switch (values, other.values) {
        case (.some, .some(let theirs)) where count <= exactLimit:
            values?.append(contentsOf: theirs)
        default:
            spill(grid: grid)
            if let theirs = other.values {
                for v in theirs { gridCounts?[grid.bin(of: v)] += 1 }
            } else if let theirs = other.gridCounts {
                for (i, n) in theirs.enumerated() { gridCounts?[i] += n }
            }
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

    /// Counts per fine grid bin, whether exact or not.
    public func fineCounts(grid: QuantileGrid) -> [Int] {
        if let gridCounts { return gridCounts }
        var counts = [Int](repeating: 0, count: grid.binCount)
        for v in values ?? [] { counts[grid.bin(of: v)] += 1 }
        return counts
    }
}

/// A mergeable summary of one categorical column in one window: counts per category.
public struct CategoricalProfile: Sendable, Equatable, Codable {
    public private(set) var counts: [String: Int] = [:]
    public private(set) var missing = 0

    public init() {}

    public mutating func add(_ value: String?) {
        guard let value else {
            missing += 1
            return
        }
        counts[value, default: 0] += 1
    }

    public mutating func merge(_ other: CategoricalProfile) {
        missing += other.missing
        for (k, n) in other.counts { counts[k, default: 0] += n }
    }

    /// Observations that are not missing.
    public var count: Int { counts.values.reduce(0, +) }
}
