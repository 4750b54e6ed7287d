/// A sample split into the buckets of a `BucketGrid`, sorted only where asked: the order statistics and
/// ECDF counts of a sorted sample, at the cost of one counting pass plus one gathering pass for the
/// buckets the caller needs, instead of a full sort.
///
/// Every answer equals the one `SortedSample` gives on the sorted finite values (`-0.0` before `+0.0`,
/// as `RadixSort`): buckets are ordered (see `BucketGrid`), so rank `k` lies in the bucket whose
/// cumulative count passes `k`, and the values `<= t` are all of the buckets before `bucket(t)` plus
/// those of `bucket(t)` itself that are `<= t`. A bucket is gathered and sorted the first time an answer
/// needs it, together with every bucket `request`ed so far, in one pass over the values. NaN and ±inf
/// are left out and counted.
public struct BucketedSample: Sendable {
    /// The grid the buckets come from.
    public let grid: BucketGrid
    /// The values as given (unsorted; NaN and ±inf are skipped by everything else).
    public let values: DoubleRuns
    /// Finite values.
    public let count: Int
    /// NaN values left out.
    public let nanCount: Int
    /// ±inf values left out.
    public let infiniteCount: Int
    /// `cumulative[b]`: finite values in buckets before `b`; `cumulative[grid.count] == count`.
    let cumulative: [Int]
    /// Sorted contents of the gathered buckets, one range each.
    private var gathered: [Double] = []
    /// Start of each gathered bucket in `gathered` (-1: not gathered).
    private var start: [Int]
    /// Buckets to gather with the next pass.
    private var pending: Set<Int> = []
    /// Each value's bucket (non-finite values: 0), kept when the grid has at most 65,536 buckets: the
    /// gathering pass then reads two bytes per value instead of recomputing the bucket from eight.
    private let bucketOf: [UInt16]

    /// Counts `values` into the buckets of `grid`: O(n) time, O(grid.count) memory.
    public init(_ values: [Double], grid: BucketGrid) {
        self.init(DoubleRuns(values), grid: grid)
    }

    /// Counts the values of `values`' runs into the buckets of `grid`.
    public init(_ values: DoubleRuns, grid: BucketGrid) {
        self.grid = grid
        self.values = values
        var counts = [Int](repeating: 0, count: grid.count + 1)
        var nan = 0
        var infinite = 0
        let keepBuckets = grid.count <= 1 << 16
        bucketOf = [UInt16](unsafeUninitializedCapacity: keepBuckets ? values.count : 0) { index, initialized in
            counts.withUnsafeMutableBufferPointer { c in
                values.withRuns { runs in
                    var i = 0
                    for v in runs {
                        for x in v {
                            var b = 0
                            if x.isFinite {
                                b = grid.bucket(x)
                                c[b &+ 1] &+= 1
                            } else if x.isNaN {
                                nan &+= 1
                            } else {
                                infinite &+= 1
                            }
                            if keepBuckets { index[i] = UInt16(truncatingIfNeeded: b) }
                            i &+= 1
                        }
                    }
                }
                for b in 0..<grid.count { c[b &+ 1] &+= c[b] }
            }
            initialized = keepBuckets ? values.count : 0
        }
        cumulative = counts
        count = counts[grid.count]
        nanCount = nan
        infiniteCount = infinite
        start = [Int](repeating: -1, count: grid.count)
    }

    /// Finite values in bucket `b`.
    @inline(__always)
    public func count(inBucket b: Int) -> Int { cumulative[b &+ 1] &- cumulative[b] }

    /// Finite values in the buckets before `b`.
    @inline(__always)
    public func countBefore(bucket b: Int) -> Int { cumulative[b] }

    /// The bucket holding the value of rank `k` (0-based, ascending), `0 <= k < count`.
    public func bucket(ofRank k: Int) -> Int {
        var lo = 0
        var hi = grid.count - 1
        while lo < hi {  // the first b with cumulative[b + 1] > k
            let mid = (lo &+ hi) >> 1
            if cumulative[mid &+ 1] > k { hi = mid } else { lo = mid &+ 1 }
        }
        return lo
    }

    /// Asks for `buckets` to be gathered with the next pass (no pass is made now).
    public mutating func request(_ buckets: some Sequence<Int>) {
        for b in buckets where b >= 0 && b < grid.count && start[b] < 0 && count(inBucket: b) > 0 {
            pending.insert(b)
        }
    }

    /// Bucket `b` in ascending order, gathering it (and everything requested) first when needed.
    public mutating func sortedBucket(_ b: Int) -> ArraySlice<Double> {
        let m = count(inBucket: b)
        guard m > 0 else { return [] }
        if start[b] < 0 {
            pending.insert(b)
            gatherPending()
        }
        return gathered[start[b]..<(start[b] + m)]
    }

    /// The value of rank `k` (0-based) among the finite values in ascending order, `0 <= k < count`.
    public mutating func orderStatistic(_ k: Int) -> Double {
        let b = bucket(ofRank: k)
        let run = sortedBucket(b)
        return run[run.startIndex + (k - cumulative[b])]
    }

    /// Number of finite values `<= t`, for non-NaN `t`.
    public mutating func countLessThanOrEqual(_ t: Double) -> Int { countBelow(t) { $0 <= t } }

    /// Number of finite values `< t`, for non-NaN `t`.
    public mutating func countLessThan(_ t: Double) -> Int { countBelow(t) { $0 < t } }

    /// The finite values before `bucket(t)` plus those of `bucket(t)` for which `below` holds (a prefix
    /// of the sorted bucket, found by binary search).
    @inline(__always)
    private mutating func countBelow(_ t: Double, _ below: (Double) -> Bool) -> Int {
        let b = grid.bucket(t)
        let inBucket = sortedBucket(b)
        var lo = inBucket.startIndex
        var hi = inBucket.endIndex
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if below(inBucket[mid]) { lo = mid &+ 1 } else { hi = mid }
        }
        return cumulative[b] + (lo - inBucket.startIndex)
    }

    /// One pass over the values copies those of the pending buckets into place; then each is sorted.
    private mutating func gatherPending() {
        let buckets = pending.sorted()
        pending.removeAll(keepingCapacity: true)
        guard !buckets.isEmpty else { return }
        var fill = [Int](repeating: -1, count: grid.count)
        var wanted = [UInt64](repeating: 0, count: (grid.count + 63) / 64)  // fits in L1: most values stop here
        var offset = gathered.count
        var runs: [Range<Int>] = []
        for b in buckets {
            start[b] = offset
            fill[b] = offset
            wanted[b >> 6] |= 1 << UInt64(b & 63)
            runs.append(offset..<(offset + count(inBucket: b)))
            offset += count(inBucket: b)
        }
        let grid = self.grid
        let values = self.values
        let bucketIndex = self.bucketOf
        gathered.append(contentsOf: repeatElement(0, count: offset - gathered.count))
        gathered.withUnsafeMutableBufferPointer { out in
            fill.withUnsafeMutableBufferPointer { f in
                wanted.withUnsafeBufferPointer { w in
                    values.withRuns { valueRuns in
                        @inline(__always) func take(_ x: Double, _ b: Int) {
                            guard w[b &>> 6] & (1 &<< UInt64(b & 63)) != 0 else { return }
                            let at = f[b]
                            out[at] = x
                            f[b] = at &+ 1
                        }
                        if bucketIndex.isEmpty {
                            for v in valueRuns {
                                for x in v where x.isFinite { take(x, grid.bucket(x)) }
                            }
                        } else {
                            bucketIndex.withUnsafeBufferPointer { index in
                                var base = 0
                                for v in valueRuns {
                                    for i in 0..<v.count {
                                        let b = Int(index[base &+ i])
                                        if w[b &>> 6] & (1 &<< UInt64(b & 63)) != 0, v[i].isFinite {
                                            let at = f[b]
                                            out[at] = v[i]
                                            f[b] = at &+ 1
                                        }
                                    }
                                    base &+= v.count
                                }
                            }
                        }
                    }
                }
            }
            for run in runs { Self.sortAscending(UnsafeMutableBufferPointer(rebasing: out[run])) }
        }
    }

    /// Sorts in IEEE total order (so `-0.0` before `+0.0`, as `RadixSort`); a run of one repeated value
    /// is left as it is.
    static func sortAscending(_ run: UnsafeMutableBufferPointer<Double>) {
        guard let first = run.first else { return }
        let firstBits = first.bitPattern
        if run.allSatisfy({ $0.bitPattern == firstBits }) { return }
        if run.count > RadixSort.comparisonSortCutoff {
            var copy = Array(run)
            RadixSort.sortAscending(&copy)
            _ = run.update(fromContentsOf: copy)
        } else {
            var keys = run.map { RadixSort.sortableKey($0) }
            keys.sort()
            for (i, key) in keys.enumerated() { run[i] = RadixSort.valueFromKey(key) }
        }
    }
}

extension BucketedSample {
    /// The grid size used for `n` finite values when none is given: about 16 values per bucket,
    /// between 16 and 65,536 buckets (the counts then still fit in a few hundred KB of cache).
    public static func defaultBucketCount(for n: Int) -> Int {
        var b = 16
        while b < 65_536 && b * 16 < n { b <<= 1 }
        return b
    }

    /// Both samples on one grid spanning the finite values of an evenly strided subsample of each
    /// (about 16,384 values per side): the few values beyond it land in the end buckets, which keeps every
    /// answer exact (see `BucketGrid`) and costs one pass less than finding the true extremes; a far
    /// outlier then does not stretch the grid either. O(n) to count.
    public static func pair(
        reference: [Double], current: [Double], buckets: Int? = nil
    ) -> (reference: BucketedSample, current: BucketedSample) {
        pair(reference: DoubleRuns(reference), current: DoubleRuns(current), buckets: buckets)
    }

    /// `pair(reference:current:buckets:)` on values held in runs.
    public static func pair(
        reference: DoubleRuns, current: DoubleRuns, buckets: Int? = nil
    ) -> (reference: BucketedSample, current: BucketedSample) {
        var lo = Double.infinity
        var hi = -Double.infinity
        for side in [reference, current] {
            let range = finiteRange(side, stride: max(1, side.count / 16_384))
            lo = min(lo, range.lo)
            hi = max(hi, range.hi)
        }
        if lo > hi { (lo, hi) = (0, 0) }
        let grid = BucketGrid(
            lo: lo, hi: hi, count: buckets ?? defaultBucketCount(for: max(reference.count, current.count)))
        return (BucketedSample(reference, grid: grid), BucketedSample(current, grid: grid))
    }

    /// Smallest and largest finite value among every `stride`-th value of each run.
    static func finiteRange(_ values: DoubleRuns, stride: Int) -> (lo: Double, hi: Double) {
        var lo = Double.infinity
        var hi = -Double.infinity
        values.withRuns { runs in
            for v in runs {
                var i = 0
                while i < v.count {
                    let x = v[i]
                    if x.isFinite {
                        lo = min(lo, x)
                        hi = max(hi, x)
                    }
                    i += stride
                }
            }
        }
        return (lo, hi)
    }
}
