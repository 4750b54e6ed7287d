/// Conversions and arithmetic that input can reach, with a defined result instead of a trap: a Double
/// past the integer range clamps to its end, NaN gives a chosen value, and a sum or product that
/// overflows saturates at `min` or `max`. For every in-range value the result is exactly that of
/// `Int(value)`, `a + b` or `a * b`.
extension FixedWidthInteger where Self: SignedInteger {
    /// `value` rounded toward zero like `Self(value)`, clamped to `min...max`; `nan` when NaN.
    @inlinable @inline(__always)
    public init(clampingFinite value: Double, nan: Self = 0) {
        // -Double(Self.min) is 2^(bitWidth-1), exact: every value in [-2^(w-1), 2^(w-1)) converts.
        let bound = -Double(Self.min)
        if value < bound && value >= -bound {
            self.init(value)
        } else if value.isNaN {
            self = nan
        } else {
            self = value < 0 ? .min : .max
        }
    }
}

extension FixedWidthInteger {
    /// `self + other`, saturating at `min` or `max` instead of overflowing.
    @inlinable @inline(__always)
    public func addingSaturating(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other < 0 ? .min : .max
    }

    /// `self - other`, saturating at `min` or `max` instead of overflowing.
    @inlinable @inline(__always)
    public func subtractingSaturating(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self * other`, saturating at `min` or `max` instead of overflowing.
    @inlinable @inline(__always)
    public func multipliedSaturating(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) != (other < 0) ? .min : .max
    }
}

/// Counts read back from stored data: each in `0...maximum` (2⁵³) and so is their total, so that the
/// sums and Double conversions of the code reading them stay exact and cannot overflow.
public enum StoredCounts {
    /// The largest count or total a stored profile may hold (2⁵³).
    public static let maximum = 1 << 53

    /// Whether every count is in `0...maximum` and their total is at most `maximum`.
    public static func areValid(_ counts: some Sequence<Int>) -> Bool {
        var total = 0
        for n in counts {
            guard n >= 0, n <= maximum else { return false }
            total += n  // both at most 2⁵³: no overflow
            guard total <= maximum else { return false }
        }
        return true
    }
}
