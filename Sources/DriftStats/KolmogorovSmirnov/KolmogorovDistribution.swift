import Foundation

/// Distributions of the two-sided Kolmogorov–Smirnov statistic.
///
/// * `oneSampleSurvival` / `oneSampleCDF`: the exact distribution of the one-sample two-sided
///   statistic `D_n = sup_t |F_n(t) - F(t)|` for sample size `n` (continuous `F`), as
///   `scipy.stats.kstwo.sf` / `.cdf` (scipy 1.17.1, `scipy/stats/_ksstats.py::kolmogn`), with the
///   algorithm choices of Simard & L'Ecuyer (2011): Ruben–Gambino closed forms for
///   `n·d <= 1` and `n·d >= n - 1`, `2·smirnov(n, d)` for `d >= 1/2` and in the upper tail,
///   Durbin's matrix (Marsaglia–Tsang–Wang) or Pomeranz's recursion for small `n`,
///   Pelz–Good for large `n`, with scipy's exact cut-offs (n <= 140, n·d² thresholds 0.754693, 4,
///   2.2, 18, 370, n <= 100000 with n·d^1.5 <= 1.4).
/// * `limitingSurvival`: Kolmogorov's limit `P(K > x) = 2 Σ_{k>=1} (-1)^{k-1} exp(-2k²x²)`,
///   accurate also for small x, as `scipy.stats.kstwobign.sf` = `scipy.special.kolmogorov`.
public enum KolmogorovDistribution {
    /// `P(D_n >= d)`: matches `scipy.stats.kstwo.sf(d, n)`.
    ///
    /// Returns 1 for `d <= 1/(2n)` (the lower end of the support), 0 for `d >= 1`, and NaN for
    /// `n < 1` or NaN `d` (scipy's `badvalue`).
    /// Complexity: O(1) in the tails; O(m³ log n) (m ≈ 2n·d) for Durbin's matrix, O(n·(n·d)²) for
    /// Pomeranz (n <= 140), O(terms) ≤ O(n) for the Smirnov sum — milliseconds for any n.
    public static func oneSampleSurvival(_ d: Double, n: Int) -> Double {
        guard n >= 1, !d.isNaN else { return .nan }
        if d <= 0.5 / Double(n) { return 1 }
        if d >= 1 { return 0 }
        return kolmogorovN(n: n, x: d, cdf: false)
    }

    /// `P(D_n <= d)`: matches `scipy.stats.kstwo.cdf(d, n)`.
    ///
    /// Returns 0 for `d <= 1/(2n)`, 1 for `d >= 1`, NaN for `n < 1` or NaN `d`.
    /// Complexity: as `oneSampleSurvival`.
    public static func oneSampleCDF(_ d: Double, n: Int) -> Double {
        guard n >= 1, !d.isNaN else { return .nan }
        if d >= 1 { return 1 }
        if d <= 0.5 / Double(n) { return 0 }
        return kolmogorovN(n: n, x: d, cdf: true)
    }

    /// `P(K > x) = 2 Σ_{k>=1} (-1)^{k-1} exp(-2k²x²)`: matches `scipy.stats.kstwobign.sf(x)`
    /// (= `scipy.special.kolmogorov(x)`), 1 for `x <= 0`, 0 for `x = +inf`, NaN for NaN.
    /// For `x <= 0.82` it is evaluated as `1 - K(x)` with the theta-function form of the CDF.
    /// Complexity: O(1).
    public static func limitingSurvival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        if x == .infinity { return 0 }
        return LimitingKolmogorov.survival(x)
    }

    /// `scipy.stats._ksstats._kolmogn(n, x, cdf)`: Simard & L'Ecuyer's choice of algorithm.
    static func kolmogorovN(n: Int, x: Double, cdf: Bool) -> Double {
        func select(_ cdfProb: Double, _ sfProb: Double) -> Double {
            let p = cdf ? cdfProb : sfProb
            return p.isNaN ? p : min(max(p, 0), 1)
        }
        guard n > 0 else { return .nan }
        if x >= 1.0 { return select(1, 0) }
        if x <= 0.0 { return select(0, 1) }
        let nd = Double(n)
        let t = nd * x
        if t <= 1.0 {  // Ruben–Gambino: 1/(2n) <= x <= 1/n
            if t <= 0.5 { return select(0, 1) }
            let prob: Double
            if n <= 140 {
                let base = 2 * t - 1
                let inverseN = 1.0 / nd
                var product = 1.0
                for i in 1...n { product *= (Double(i) * inverseN) * base }
                prob = product
            } else {
                prob = exp(logFactorialOverPower(n) + nd * log(2 * t - 1))
            }
            return select(prob, 1.0 - prob)
        }
        if t >= nd - 1 {  // Ruben–Gambino
            let prob = 2 * pow(1.0 - x, nd)
            return select(1 - prob, prob)
        }
        if x >= 0.5 {  // exactly 2 * smirnov
            let prob = 2 * SmirnovDistribution.survival(n: n, x: x)
            return select(1.0 - prob, prob)
        }

        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 0.754693 {
                let prob = KolmogorovDurbinMatrix.cdf(n: n, d: x)
                return select(prob, 1.0 - prob)
            }
            if nxSquared <= 4 {
                let prob = KolmogorovPomeranz.cdf(n: n, x: x)
                return select(prob, 1.0 - prob)
            }
            // Miller's approximation 2 * smirnov: exact to double precision here.
            let prob = 2 * SmirnovDistribution.survival(n: n, x: x)
            return select(1.0 - prob, prob)
        }

        // CDF and SF have different cut-offs on n·x².
        if !cdf {
            if nxSquared >= 370.0 { return 0.0 }
            if nxSquared >= 2.2 {
                let prob = 2 * SmirnovDistribution.survival(n: n, x: x)
                return prob.isNaN ? prob : min(max(prob, 0), 1)
            }
            // Fall through: SF = 1 - CDF.
        }
        let cdfProb: Double
        if nxSquared >= 18.0 {
            cdfProb = 1.0
        } else if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 {
            cdfProb = KolmogorovDurbinMatrix.cdf(n: n, d: x)
        } else {
            cdfProb = KolmogorovPelzGood.cdf(n: n, x: x)
        }
        return select(cdfProb, 1.0 - cdfProb)
    }

    /// `log(n!/n^n)` by Stirling's series with `n·log n` removed up front
    /// (scipy `_log_nfactorial_div_n_pow_n`).
    static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients = [
            -2.955065359477124183e-2, 6.4102564102564102564e-3,
            -1.9175269175269175269e-3, 8.4175084175084175084e-4,
            -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ]
        let nd = Double(n)
        let rn = 1.0 / nd
        let x = rn / nd
        var poly = 0.0
        for c in coefficients { poly = poly * x + c }
        return log(nd) / 2 - nd + log(2 * Double.pi) / 2 + rn * poly
    }
}
