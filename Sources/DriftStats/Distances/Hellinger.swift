/// Hellinger distance.
public enum Hellinger {
    /// `H = sqrt(Σ (sqrt p_i - sqrt q_i)²) / sqrt 2` over shares (NannyML 0.13's `hellinger`). Range [0, 1].
    /// O(k).
    public static func distance(_ p: [Double], _ q: [Double]) -> Double {
        var acc = 0.0
        for (pi, qi) in zip(p, q) {
            let d = pi.squareRoot() - qi.squareRoot()
            acc += d * d
        }
        return acc.squareRoot() / 2.0.squareRoot()
    }
}
