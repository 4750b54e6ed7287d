/// Neumaier-compensated summation: error O(ε) independent of n (plain summation's is O(n ε)).
/// Used where a mean or variance over millions of values must stay accurate.
public struct CompensatedSum: Sendable {
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0

    /// An empty sum.
    public init() {}

    /// Adds `x` to the running sum.
    @inlinable
    public mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    /// The compensated total.
    public var value: Double { sum + compensation }

    /// The compensated sum of `values`.
    public static func sum<S: Sequence>(_ values: S) -> Double where S.Element == Double {
        var s = CompensatedSum()
        for v in values { s.add(v) }
        return s.value
    }
}
