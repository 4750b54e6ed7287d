import Foundation

/// Kolmogorov's limiting distribution of `sqrt(n)·D_n`:
/// `K(x) = P(K <= x)`, `1 - K(x) = 2 Σ_{k>=1} (-1)^{k-1} exp(-2k²x²)`,
/// computed as `scipy.special.kolmogorov` / `kolmogc` (xsf `cephes/kolmogorov.h`,
/// van Mulbregt 2018): for `x <= 0.82` the Jacobi-theta form
/// `K(x) = sqrt(2π)/x · Σ_{k>=1} exp(-(2k-1)²π²/(8x²))` (accurate CDF for small x), otherwise the
/// alternating series for the survival function (accurate for large x); each unrolled to the
/// terms that matter in double precision.
///
/// Complexity: O(1).
enum LimitingKolmogorov {
    /// Switch-over between the two series.
    static let cutover = 0.82
    /// `exp` of anything below this is 0 (xsf `MIN_EXPABLE = -708 - 38`).
    static let minExpable = -746.0

    /// `scipy.special.kolmogorov(x)`: the survival function `P(K > x)`.
    static func survival(_ x: Double) -> Double { evaluate(x).sf }

    /// `scipy.special.kolmogc(x)`: the CDF `P(K <= x)`.
    static func cdf(_ x: Double) -> Double { evaluate(x).cdf }

    /// Survival function and CDF together (xsf `_kolmogorov`).
    static func evaluate(_ x: Double) -> (sf: Double, cdf: Double) {
        if x.isNaN { return (.nan, .nan) }
        if x <= 0 { return (1, 0) }
        // x <= 0.040611972203751713: the CDF underflows.
        if x <= Double.pi / (-minExpable * 8).squareRoot() { return (1, 0) }

        var p = 1.0
        let sf: Double
        let cdf: Double
        if x <= cutover {
            // u = e^(-pi^2/(8x^2)), w = sqrt(2pi)/x, P = w*u * (1 + u^8 + u^24 + u^48 + ...)
            let w = (2 * Double.pi).squareRoot() / x
            let logu8 = -Double.pi * Double.pi / (x * x)
            let u = exp(logu8 / 8)
            if u == 0 {
                p = exp(logu8 / 8 + log(w))
            } else {
                let u8 = exp(logu8)
                let u8cub = pow(u8, 3)
                p = 1 + u8cub * p
                p = 1 + u8 * u8 * p
                p = 1 + u8 * p
                p = w * u * p
            }
            cdf = p
            sf = 1 - p
        } else {
            // v = e^(-2x^2), P = 2 (v - v^4 + v^9 - ...) = 2v(1 - v^3(1 - v^5(1 - v^7(1 - ...))))
            let v = exp(-2 * x * x)
            let vsq = v * v
            let v3 = pow(v, 3)
            var vpwr = v3 * v3 * v
            p = 1 - vpwr * p
            vpwr = v3 * vsq
            p = 1 - vpwr * p
            vpwr = v3
            p = 1 - vpwr * p
            p = 2 * v * p
            sf = p
            cdf = 1 - sf
        }
        return (min(max(sf, 0), 1), min(max(cdf, 0), 1))
    }
}
