/// The chi-squared distribution with `k > 0` degrees of freedom.
public enum ChiSquaredDistribution {
    /// Survival function `P(X > x) = Q(k/2, x/2)` (regularized upper incomplete gamma).
    ///
    /// Matches `scipy.stats.chi2.sf(x, k)` (scipy 1.17.1) to relative 1e-9 — ≤ 1.1e-12 over 80,000
    /// random (k, x) with k = 1…1000, x = 1e-8…5000, including tails far below 1e-300 and scipy's exact
    /// zeros (see ``IncompleteGamma``). O(√k).
    /// Special values: 1 for `x ≤ 0`; 0 for `x = +∞`; NaN when `x` is NaN or `k` is NaN or `≤ 0`
    /// (scipy returns NaN for `k ≤ 0` too).
    public static func survival(_ x: Double, _ degreesOfFreedom: Double) -> Double {
        guard !x.isNaN, !degreesOfFreedom.isNaN, degreesOfFreedom > 0 else { return .nan }
        if x <= 0 { return 1 }
        return IncompleteGamma.regularizedUpper(degreesOfFreedom / 2, x / 2)
    }

    /// ``survival(_:_:)-(Double,Double)`` for an integer number of degrees of freedom.
    public static func survival(_ x: Double, _ degreesOfFreedom: Int) -> Double {
        survival(x, Double(degreesOfFreedom))
    }

    /// Distribution function `P(X ≤ x) = P(k/2, x/2)`, matching `scipy.stats.chi2.cdf(x, k)`. O(√k).
    /// 0 for `x ≤ 0`; NaN as for ``survival(_:_:)-(Double,Double)``.
    public static func cdf(_ x: Double, _ degreesOfFreedom: Double) -> Double {
        guard !x.isNaN, !degreesOfFreedom.isNaN, degreesOfFreedom > 0 else { return .nan }
        if x <= 0 { return 0 }
        return IncompleteGamma.regularizedLower(degreesOfFreedom / 2, x / 2)
    }

    /// ``cdf(_:_:)-(Double,Double)`` for an integer number of degrees of freedom.
    public static func cdf(_ x: Double, _ degreesOfFreedom: Int) -> Double {
        cdf(x, Double(degreesOfFreedom))
    }
}
