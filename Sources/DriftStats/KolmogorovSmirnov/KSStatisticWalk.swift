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
        let n1 = reference.count
        let n2 = current.count
        let n1d = Double(n1)
        let n2d = Double(n2)
        // Extremes over values present in the reference, and over values present in the
        // current sample: numpy's argmax scans the reference part of `all` first.
        var maxRef = -Double.infinity, maxRefAt = Double.nan
        var minRef = Double.infinity, minRefAt = Double.nan
        var maxCur = -Double.infinity, maxCurAt = Double.nan
        var minCur = Double.infinity, minCurAt = Double.nan
        reference.withUnsafeBufferPointer { r in
            current.withUnsafeBufferPointer { c in
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
                    let diff = Double(i) / n1d - Double(j) / n2d
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
        }
        let maxS: Double
        let maxAt: Double
        if maxRef >= maxCur { (maxS, maxAt) = (maxRef, maxRefAt) } else { (maxS, maxAt) = (maxCur, maxCurAt) }
        let minDiff: Double
        let minAt: Double
        if minRef <= minCur { (minDiff, minAt) = (minRef, minRefAt) } else { (minDiff, minAt) = (minCur, minCurAt) }
        let minS = min(max(-minDiff, 0), 1)
        if minS > maxS {
            statistic = minS
            location = minAt
            sign = -1
        } else {
            statistic = maxS
            location = maxAt
            sign = 1
        }
    }
}
