import Foundation

/// The standard normal distribution N(0, 1).
public enum NormalDistribution {
    /// `1/√2` rounded to double (the C constant `M_SQRT1_2`).
    static let sqrtHalf = 0.707_106_781_186_547_524_40
    /// `1/√2 − sqrtHalf`, the rounding error of ``sqrtHalf``.
    static let sqrtHalfLow = -4.833_646_656_726_457e-17
    /// `2/√π`, the derivative scale of erfc.
    static let twoOverSqrtPi = 1.128_379_167_095_512_573_9

    /// Distribution function `Φ(x) = ½ erfc(−x/√2)`. O(1).
    ///
    /// Same structure as scipy's `ndtr` (`scipy.stats.norm.cdf`, scipy 1.17.1): with `z = x/√2`,
    /// `½ + ½ erf(z)` for `|z| < 1/√2`, else `½ erfc(|z|)` (reflected as `1 − ½ erfc(z)` for `z > 0`),
    /// so the lower tail keeps full relative accuracy down to ≈ 1e-308 (x ≈ −37.5). In the tails the
    /// rounding error of `x/√2` itself (worth up to 2z²·ε ≈ 1.5e-13 relative, which scipy keeps) is
    /// corrected to first order, giving ≈ 1e-15 relative error against 50-digit mpmath.
    /// Special values: NaN for NaN; 0 at −∞, 1 at +∞. Like scipy (cephes' erfc), tails that would
    /// be subnormal (x < −37.68) are 0.
    public static func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let z = x * sqrtHalf
        let absZ = abs(z)
        if absZ < sqrtHalf { return 0.5 + 0.5 * Foundation.erf(z) }
        if absZ * absZ > IncompleteGamma.maxLog { return z > 0 ? 1 : 0 }
        let tail = 0.5 * erfcOfScaled(x, z: absZ, sign: z > 0 ? 1 : -1)
        return z > 0 ? 1 - tail : tail
    }

    /// `erfc(|x|/√2)` given `z = |fl(x·sqrtHalf)|`: `erfc(z + Δ) ≈ erfc(z) − Δ·(2/√π)·e^(−z²)` with
    /// `Δ` = the exact rounding error of `z` (FMA) plus `x·sqrtHalfLow`.
    private static func erfcOfScaled(_ x: Double, z: Double, sign: Double) -> Double {
        let rounded = x * sqrtHalf
        let delta = sign * ((-rounded).addingProduct(x, sqrtHalf) + x * sqrtHalfLow)
        let value = Foundation.erfc(z)
        return value - delta * twoOverSqrtPi * Foundation.exp(-z * z)
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
