/// An ascending sample of finite-or-infinite doubles (never NaN): the common input of every
/// method built on empirical distribution functions (KS, Wasserstein, quantile binning).
///
/// Sort once, then run every method on the same sorted values. NaN values are removed when the
/// sample is built and counted in `removedNaNCount`, so a caller can report them as missing.
public struct SortedSample: Sendable, Equatable {
    /// The values in ascending order (`-0.0` sorts before `+0.0`; they compare equal).
    public let values: [Double]
    /// How many NaN values were dropped when the sample was built.
    public let removedNaNCount: Int

    /// Sorts `values` (a radix sort, O(n)), dropping NaNs.
    public init(sorting values: [Double]) {
        var kept = values
        var nanCount = 0
        if values.contains(where: { $0.isNaN }) {
            kept = values.filter { !$0.isNaN }
            nanCount = values.count - kept.count
        }
        RadixSort.sortAscending(&kept)
        self.values = kept
        self.removedNaNCount = nanCount
    }

    /// Wraps values that are already in ascending order and hold no NaN.
    /// - Precondition: `values` is sorted ascending and NaN-free (checked in debug builds).
    public init(alreadySorted values: [Double]) {
        assert(!values.contains { $0.isNaN }, "SortedSample: NaN in a sorted sample")
        assert(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "SortedSample: not sorted")
        self.values = values
        self.removedNaNCount = 0
    }

    /// Number of values.
    public var count: Int { values.count }
    /// `true` when the sample holds no value.
    public var isEmpty: Bool { values.isEmpty }
    /// The smallest value, or `nil` for an empty sample.
    public var min: Double? { values.first }
    /// The largest value, or `nil` for an empty sample.
    public var max: Double? { values.last }

    /// Number of values `<= t` (binary search, O(log n)): `n · F(t)` for the right-continuous ECDF.
    @inlinable
    public func countLessThanOrEqual(_ t: Double) -> Int {
        var lo = 0
        var hi = values.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if values[mid] <= t { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// Number of values `< t` (binary search, O(log n)).
    @inlinable
    public func countLessThan(_ t: Double) -> Int {
        var lo = 0
        var hi = values.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if values[mid] < t { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// Number of distinct values (`-0.0` and `+0.0` count as one), O(n).
    public var distinctCount: Int {
        guard var previous = values.first else { return 0 }
        var distinct = 1
        for v in values.dropFirst() where v != previous {
            distinct += 1
            previous = v
        }
        return distinct
    }

    /// Arithmetic mean (pairwise-free Kahan-compensated sum), `nil` when empty.
    public var mean: Double? {
        guard !values.isEmpty else { return nil }
        return CompensatedSum.sum(values) / Double(values.count)
    }

    /// Population standard deviation (ddof = 0, as `numpy.std`), two-pass, `nil` when empty.
    public var populationStandardDeviation: Double? {
        guard let m = mean else { return nil }
        var acc = CompensatedSum()
        for v in values {
            let d = v - m
            acc.add(d * d)
        }
        return (acc.value / Double(values.count)).squareRoot()
    }
}
