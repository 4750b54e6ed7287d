import Foundation

/// The logarithm of the gamma function and the Stirling-series remainder used by the
/// incomplete gamma prefactor.
public enum LogGamma {
    /// `ln |Γ(x)|` (the C library's `lgamma`, accurate to a few ulps). O(1).
    /// `+inf` at 0 and the negative integers, NaN for NaN.
    public static func value(_ x: Double) -> Double {
        Foundation.lgamma(x)
    }

    /// Stirling's remainder `μ(a) = ln Γ(a) − (a − ½) ln a + a − ½ ln(2π)` for `a > 0`, so that
    /// `Γ(a) = √(2π) · a^(a−½) · e^(−a) · e^(μ(a))`. O(1).
    ///
    /// For `a ≥ 10` from the asymptotic series `Σ B₂ₖ / (2k(2k−1) a^(2k−1))` (eight terms, relative
    /// error below 1e-16 there); below 10 from `lgamma` directly (absolute error ≈ 1e-15).
    /// NaN for `a ≤ 0` or NaN.
    public static func stirlingRemainder(_ a: Double) -> Double {
        guard a > 0 else { return .nan }
        if a < 10 {
            return Foundation.lgamma(a) - (a - 0.5) * Foundation.log(a) + a - halfLogTwoPi
        }
        let r = 1 / a
        let r2 = r * r
        // B2/(1·2), B4/(3·4), …, B16/(15·16)
        var s = -3617.0 / 122_400
        s = s * r2 + 1.0 / 156
        s = s * r2 - 691.0 / 360_360
        s = s * r2 + 1.0 / 1188
        s = s * r2 - 1.0 / 1680
        s = s * r2 + 1.0 / 1260
        s = s * r2 - 1.0 / 360
        s = s * r2 + 1.0 / 12
        return s * r
    }

    /// `½ ln(2π)`.
    static let halfLogTwoPi = 0.918_938_533_204_672_741_78
}
