import Foundation

/// Jensen–Shannon distance.
public enum JensenShannon {
    /// The logarithm base of the divergence.
    public enum Base: String, Sendable, Codable, CaseIterable {
        /// Natural log: range [0, sqrt(ln 2) ≈ 0.8326]; Evidently's and scipy's default.
        case e
        /// Base 2: range [0, 1]; NannyML's.
        case two = "2"
    }

    /// `scipy.spatial.distance.jensenshannon(p, q, base)`: p and q are divided by their own sums,
    /// `m = (p+q)/2`, `JSD = ½ Σ p_i ln(p_i/m_i) + ½ Σ q_i ln(q_i/m_i)` (0·ln 0 = 0), divided by
    /// `ln(base)`; the distance is `sqrt(JSD)`. O(k). NaN when either vector sums to 0.
    public static func distance(_ p: [Double], _ q: [Double], base: Base = .e) -> Double {
        let sp = p.reduce(0, +)
        let sq = q.reduce(0, +)
        guard sp > 0, sq > 0 else { return .nan }
        var left = 0.0
        var right = 0.0
        for (rawP, rawQ) in zip(p, q) {
            let pi = rawP / sp
            let qi = rawQ / sq
            let m = (pi + qi) / 2
            if pi > 0 { left += pi * log(pi / m) }
            if qi > 0 { right += qi * log(qi / m) }
        }
        var js = (left + right) / 2
        if base == .two { js /= log(2.0) }
        // Rounding can leave a tiny negative value for identical inputs; the distance is then 0.
        return Swift.max(js, 0).squareRoot()
    }
}
