import Foundation

/// The standard normal distribution N(0, 1).
public enum NormalDistribution {
    /// `1/√2` as the C constant `M_SQRT1_2`, so arguments of `erf`/`erfc` are bit-identical to scipy's.
    static let sqrtHalf = 0.707_106_781_186_547_524_40

    /// Distribution function `Φ(x) = ½ erfc(−x/√2)`.
    ///
    /// Same structure as scipy's `ndtr` (`scipy.stats.norm.cdf`, scipy 1.17.1): with `z = x/√2`,
    /// `½ + ½ erf(z)` for `|z| < 1/√2`, else `½ erfc(|z|)` (reflected as `1 − ½ erfc(z)` for `z > 0`),
    /// so the lower tail keeps full relative accuracy down to ≈ 1e-308 (x ≈ −37.5). O(1).
    /// NaN for NaN; 0 at −∞, 1 at +∞.
    public static func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let z = x * sqrtHalf
        let absZ = abs(z)
        if absZ < sqrtHalf { return 0.5 + 0.5 * Foundation.erf(z) }
        let tail = 0.5 * Foundation.erfc(absZ)
        return z > 0 ? 1 - tail : tail
    }

    /// Survival function `1 − Φ(x) = Φ(−x)`, accurate in the upper tail
    /// (`scipy.stats.norm.sf`, which is `ndtr(−x)`). O(1). NaN for NaN.
    public static func survival(_ x: Double) -> Double {
        cdf(-x)
    }

    /// Two-sided tail probability `2 (1 − Φ(|z|))` computed as `2 Φ(−|z|)` (no cancellation). O(1).
    public static func twoSidedPValue(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        return 2 * cdf(-abs(z))
    }
}
