/// Equal-width value buckets over `[lo, hi]`, shared by the two samples of a comparison so that a
/// value falls in the same bucket on both sides.
///
/// `bucket(x)` is monotone: `x <= y` implies `bucket(x) <= bucket(y)` (a difference, a product by a
/// positive scale and a truncation, each monotone under IEEE rounding), so every value of bucket `b`
/// is strictly below every value of a later bucket, and equal values share a bucket. Values outside
/// `[lo, hi]` land in the first or last bucket. When `hi - lo` is zero or overflows, everything lands in
/// bucket 0 (still correct, only slower for the users of the grid).
public struct BucketGrid: Sendable, Equatable {
    /// Lower end of the grid (the smallest finite value of both samples).
    public let lo: Double
    /// Number of buckets.
    public let count: Int
    let scale: Double
    let last: Double

    /// A grid of `count` buckets over `[lo, hi]`.
    public init(lo: Double, hi: Double, count: Int) {
        self.lo = lo
        self.count = max(1, count)
        let width = hi - lo
        scale = width > 0 && width.isFinite ? Double(self.count) / width : 0
        last = Double(self.count - 1)
    }

    /// The bucket of a non-NaN value.
    @inline(__always)
    public func bucket(_ x: Double) -> Int {
        let v = (x - lo) * scale
        if !(v > 0) { return 0 }  // below lo, zero scale, or NaN from inf · 0
        if v >= last { return count - 1 }
        return Int(v)
    }
}
