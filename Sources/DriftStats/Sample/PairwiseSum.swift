/// numpy's pairwise summation (`pairwise_sum_DOUBLE` in numpy/_core/src/umath/loops_utils.h.src),
/// reproduced operation for operation so that sums match `numpy.sum` bit for bit. Needed where a
/// decision depends on the last bit of a sum, such as NannyML's `1 - sum(shares) > 0` leftover test.
/// Below 8 values a plain loop; up to 128, eight interleaved partial sums combined as
/// `((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))` plus the tail; above, recursive halving at multiples of 8.
/// O(n), error O(ε log n).
public enum PairwiseSum {
    /// `numpy.sum(values)` for a contiguous float64 array.
    public static func numpySum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { sum($0) }
    }

    static func sum(_ a: UnsafeBufferPointer<Double>) -> Double {
        let n = a.count
        if n < 8 {
            var res = 0.0
            for v in a { res += v }
            return res
        }
        if n <= 128 {
            var r0 = a[0]
            var r1 = a[1]
            var r2 = a[2]
            var r3 = a[3]
            var r4 = a[4]
            var r5 = a[5]
            var r6 = a[6]
            var r7 = a[7]
            var i = 8
            while i < n - (n % 8) {
                r0 += a[i]
                r1 += a[i + 1]
                r2 += a[i + 2]
                r3 += a[i + 3]
                r4 += a[i + 4]
                r5 += a[i + 5]
                r6 += a[i + 6]
                r7 += a[i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                res += a[i]
                i += 1
            }
            return res
        }
        var n2 = n / 2
        n2 -= n2 % 8
        return sum(UnsafeBufferPointer(rebasing: a[0..<n2])) + sum(UnsafeBufferPointer(rebasing: a[n2..<n]))
    }
}
