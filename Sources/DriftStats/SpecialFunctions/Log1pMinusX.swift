import Foundation

/// `ln(1 + t) − t`, accurate for small `|t|` where the direct difference cancels.
enum Log1pMinusX {
    /// `ln(1 + t) − t` for `t > −1` (−inf at −1, NaN below). O(1) (at most ~20 series terms).
    ///
    /// For `−0.5 ≤ t ≤ 1`: with `y = t/(2+t)` (|y| ≤ 1/3), `ln(1+t) = 2 atanh y`, and
    /// `2y − t = −t²/(2+t)`, so `ln(1+t) − t = −t²/(2+t) + 2(y³/3 + y⁵/5 + …)` — no cancellation.
    /// Elsewhere `log1p(t) − t` loses at most two bits.
    static func value(_ t: Double) -> Double {
        guard t >= -0.5, t <= 1 else { return Foundation.log1p(t) - t }
        let y = t / (2 + t)
        let y2 = y * y
        var power = y * y2
        var series = 0.0
        var k = 3.0
        while k < 80 {
            let term = power / k
            series += term
            if abs(term) <= abs(series) * 1e-17 { break }
            power *= y2
            k += 2
        }
        return -(t * t) / (2 + t) + 2 * series
    }
}
