import Foundation

/// `P(D_n <= d)` for the two-sided one-sample KS statistic by Durbin's matrix algorithm
/// (Durbin 1968) in the form of Marsaglia, Tsang & Wang (2003): with `d = (k - h)/n`,
/// `0 <= h < 1`, the CDF is `n!/n^n · (H^n)_{k,k}` for an `m × m` matrix `H`, `m = 2k - 1`.
/// Matches `scipy.stats._ksstats._kolmogn_DMTW`, including its power-of-2^128 rescaling.
///
/// Complexity: O(m³ log n) time, O(m²) memory (plus O(n) for the `n!/n^n` factor).
enum KolmogorovDurbinMatrix {
    static let scaleExponent = 128
    static let bigScale = 0x1p128
    static let smallScale = 0x1p-128

    /// `P(D_n <= d)`, clipped to [0, 1].
    static func cdf(n: Int, d: Double) -> Double {
        if d >= 1.0 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1

        // v[j] = (1 - h^(j+1))/(j+1)!, w[j] = 1/j!, last entry of v special.
        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var fac = 1.0
        for j in 1...m {
            w[j - 1] = fac
            fac /= Double(j)  // may underflow; harmless
            v[j - 1] = (1.0 - pow(h, Double(j))) * fac
        }
        let tt = pow(max(2 * h - 1.0, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1.0 + tt) * fac

        var hMatrix = KSSquareMatrix(size: m)
        for i in 1..<m {
            for r in (i - 1)..<m { hMatrix[r, i] = w[r - (i - 1)] }
        }
        for r in 0..<m { hMatrix[r, 0] = v[r] }
        for c in 0..<m { hMatrix[m - 1, c] = v[m - 1 - c] }

        // Hpwr = H^n by binary powering, with separate power-of-two scale factors.
        var power = KSSquareMatrix.identity(size: m)
        var scratch = KSSquareMatrix(size: m)
        var nn = n
        var exponent = 0
        var hExponent = 0
        while nn > 0 {
            if nn % 2 == 1 {
                KSSquareMatrix.multiply(power, hMatrix, into: &scratch)
                swap(&power, &scratch)
                exponent += hExponent
            }
            nn /= 2
            // scipy also squares after the last step; the result is never used, so skip it.
            guard nn > 0 else { break }
            KSSquareMatrix.multiply(hMatrix, hMatrix, into: &scratch)
            swap(&hMatrix, &scratch)
            hExponent *= 2
            if abs(hMatrix[k - 1, k - 1]) > bigScale {
                hMatrix.scale(by: smallScale)
                hExponent += scaleExponent
            }
        }

        var p = power[k - 1, k - 1]
        // Multiply by n!/n^n.
        let nDouble = Double(n)
        for i in 1...n {
            p = Double(i) * p / nDouble
            if abs(p) < smallScale {
                p *= bigScale
                exponent -= scaleExponent
            }
        }
        if exponent != 0 { p = KSDoubleDouble.ldexp(p, exponent) }
        return min(max(p, 0), 1)
    }
}
