/// The two-sample KS statistic by one merge walk over two sorted samples, reproducing
/// `scipy.stats.ks_2samp`'s
/// `cddiffs = searchsorted(r, all, 'right')/n_r - searchsorted(c, all, 'right')/n_c` over
/// `all = concat(sorted r, sorted c)`, its `argmax`/`argmin` (first occurrence in that order),
/// `minS = clip(-min, 0, 1)`, and the choice `D = minS` (sign -1) iff `minS > maxS`.
///
/// Each distinct pooled value is visited once and its difference computed with the same two
/// divisions and one subtraction as numpy, so `D` is bit-identical to scipy's.
/// Complexity: O(n_r + n_c) time, O(1) memory.
struct KSStatisticWalk: Sendable, Equatable {
    let statistic: Double
    let location: Double
    let sign: Int

    /// Requires both samples non-empty.
    init(reference: [Double], current: [Double]) {
        var extremes = KSExtremes(referenceCount: reference.count, currentCount: current.count)
        reference.withUnsafeBufferPointer { r in
            current.withUnsafeBufferPointer { c in extremes.walk(r, c, referenceBefore: 0, currentBefore: 0) }
        }
        (statistic, location, sign) = extremes.result
    }

    /// The same walk over bucketed samples on one grid (both non-empty), visiting only the buckets that
    /// can hold an extreme: bit-identical to the walk over the whole sorted samples.
    ///
    /// Every non-empty bucket ends at a pooled value whose difference `e_b` uses the cumulative counts
    /// up to it, so `max e_b` and `min e_b` are attained. Inside bucket `b` the difference lies between
    /// `low_b = fl(i0/n_r) - fl((j0 + c_b)/n_c)` and `high_b = fl((i0 + r_b)/n_r) - fl(j0/n_c)`
    /// (IEEE division and subtraction are monotone). A bucket with `high_b < max e_b` and
    /// `low_b > min e_b` holds no value attaining the maximum or the minimum, so it can change neither
    /// the statistic nor its location (the first value attaining it); the others are walked in order.
    init(reference: inout BucketedSample, current: inout BucketedSample) {
        let walked = Self.buckets(reference: reference, current: current)
        reference.request(walked)
        current.request(walked)
        var extremes = KSExtremes(referenceCount: reference.count, currentCount: current.count)
        for b in walked {
            let r = reference.sortedBucket(b)
            let c = current.sortedBucket(b)
            r.withUnsafeBufferPointer { r in
                c.withUnsafeBufferPointer { c in
                    extremes.walk(
                        r, c, referenceBefore: reference.countBefore(bucket: b),
                        currentBefore: current.countBefore(bucket: b))
                }
            }
        }
        (statistic, location, sign) = extremes.result
    }

    /// The buckets the bucketed walk visits (see `init(reference:current:)`), from the counts alone:
    /// request them together with other needs so that one pass per sample gathers everything.
    static func buckets(reference: BucketedSample, current: BucketedSample) -> [Int] {
        let n1d = Double(reference.count)
        let n2d = Double(current.count)
        let buckets = reference.grid.count
        var highest = -Double.infinity
        var lowest = Double.infinity
        for b in 0..<buckets where reference.count(inBucket: b) > 0 || current.count(inBucket: b) > 0 {
            let end =
                Double(reference.countBefore(bucket: b + 1)) / n1d - Double(current.countBefore(bucket: b + 1)) / n2d
            highest = max(highest, end)
            lowest = min(lowest, end)
        }
        var walked: [Int] = []
        for b in 0..<buckets where reference.count(inBucket: b) > 0 || current.count(inBucket: b) > 0 {
            let i0 = reference.countBefore(bucket: b)
            let j0 = current.countBefore(bucket: b)
            let high = Double(reference.countBefore(bucket: b + 1)) / n1d - Double(j0) / n2d
            let low = Double(i0) / n1d - Double(current.countBefore(bucket: b + 1)) / n2d
            if high >= highest || low <= lowest { walked.append(b) }
        }
        return walked
    }
}

/// The running extremes of the KS walk: the largest and smallest ECDF difference over values present
/// in the reference and over values present in the current sample, each with the first value
/// attaining it.
struct KSExtremes {
    let n1d: Double
    let n2d: Double
    var maxRef = -Double.infinity, maxRefAt = Double.nan
    var minRef = Double.infinity, minRefAt = Double.nan
    var maxCur = -Double.infinity, maxCurAt = Double.nan
    var minCur = Double.infinity, minCurAt = Double.nan

    init(referenceCount: Int, currentCount: Int) {
        n1d = Double(referenceCount)
        n2d = Double(currentCount)
    }

    /// Walks the ascending runs `r` and `c`, which follow `referenceBefore` and `currentBefore`
    /// smaller values of their samples and precede all larger ones.
    mutating func walk(
        _ r: UnsafeBufferPointer<Double>, _ c: UnsafeBufferPointer<Double>, referenceBefore: Int, currentBefore: Int
    ) {
        let n1 = r.count
        let n2 = c.count
        var i = 0
        var j = 0
        while i < n1 || j < n2 {
            // The smallest remaining value t; the side it comes from always advances by at
            // least one element, so the walk terminates even on input that breaks the
            // SortedSample invariant (NaN, unsorted) instead of looping.
            let takeRef = j >= n2 || (i < n1 && !(c[j] < r[i]))
            let t = takeRef ? r[i] : c[j]
            let firstRef = i
            let firstCur = j
            if takeRef { i += 1 } else { j += 1 }
            while i < n1 && r[i] == t { i += 1 }
            while j < n2 && c[j] == t { j += 1 }
            let inRef = i > firstRef
            let inCur = j > firstCur
            let diff = Double(referenceBefore &+ i) / n1d - Double(currentBefore &+ j) / n2d
            if inRef {
                if diff > maxRef { maxRef = diff; maxRefAt = r[firstRef] }
                if diff < minRef { minRef = diff; minRefAt = r[firstRef] }
            }
            if inCur {
                if diff > maxCur { maxCur = diff; maxCurAt = c[firstCur] }
                if diff < minCur { minCur = diff; minCurAt = c[firstCur] }
            }
        }
    }

    /// (statistic, location, sign) as scipy chooses them.
    var result: (Double, Double, Int) {
        let maxS: Double
        let maxAt: Double
        if maxRef >= maxCur { (maxS, maxAt) = (maxRef, maxRefAt) } else { (maxS, maxAt) = (maxCur, maxCurAt) }
        let minDiff: Double
        let minAt: Double
        if minRef <= minCur { (minDiff, minAt) = (minRef, minRefAt) } else { (minDiff, minAt) = (minCur, minCurAt) }
        let minS = min(max(-minDiff, 0), 1)
        if minS > maxS { return (minS, minAt, -1) }
        return (maxS, maxAt, 1)
    }
}
