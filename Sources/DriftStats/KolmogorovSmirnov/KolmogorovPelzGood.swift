import Foundation

/// The Pelz–Good (1976) asymptotic approximation of `P(D_n <= x)`: the Li-Chien / Korolyuk
/// expansion `K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5` (`z = sqrt(n)·x`), each term
/// transformed with Jacobi's theta identity into a rapidly converging series for small z.
/// Matches `scipy.stats._ksstats._kolmogn_PelzGood` (used by scipy for large n).
///
/// Complexity: O(z) = O(1) terms for the z where scipy uses it (z <= sqrt(18)).
enum KolmogorovPelzGood {
    static let sqrt2Pi = (2 * Double.pi).squareRoot()
    static let sqrt3 = (3.0).squareRoot()
    static let piSquared = pow(Double.pi, 2)
    static let piFour = pow(Double.pi, 4)
    static let piSix = pow(Double.pi, 6)
    /// Below this `log q` the CDF is 0 (`z ~ 0.0417`).
    static let minLog = -708.0

    /// `P(D_n <= x)` (not clipped, as scipy).
    static func cdf(n: Int, x: Double) -> Double {
        if x <= 0.0 { return 0 }
        if x >= 1.0 { return 1 }
        let nd = Double(n)
        let z = nd.squareRoot() * x
        let zsquared = pow(z, 2)
        let zthree = pow(z, 3)
        let zfour = pow(z, 4)
        let zsix = pow(z, 6)

        let qlog = -piSquared / 8 / zsquared
        if qlog < minLog { return 0 }
        var q = exp(qlog)

        // Coefficients of the terms in the sums for K1, K2 and K3.
        let k1a = -zsquared
        let k1b = piSquared / 4
        let k2a = 6 * zsix + 2 * zfour
        let k2b = (2 * zfour - 5 * zsquared) * piSquared / 4
        let k2c = piFour * (1 - 2 * zsquared) / 16
        let k3d = piSix * (5 - 30 * zsquared) / 64
        let k3c = piFour * (-60 * zsquared + 212 * zfour) / 16
        let k3b = piSquared * (135 * zfour - 96 * zsix) / 4
        let k3a = -30 * zsix - 90 * pow(z, 8)

        // Horner scheme for sum c_i q^(i^2) over odd i.
        var k0 = 0.0, k1 = 0.0, k2 = 0.0, k3 = 0.0
        let maxk = Int((16 * z / Double.pi).rounded(.up))
        var k = maxk
        while k >= 1 {
            let m = Double(2 * k - 1)
            let msquared = m * m
            let mfour = msquared * msquared
            let msix = mfour * msquared
            let qpower = pow(q, Double(8 * k))
            k0 = k0 * qpower + 1.0
            k1 = k1 * qpower + (k1a + k1b * msquared)
            k2 = k2 * qpower + (k2a + k2b * msquared + k2c * mfour)
            k3 = k3 * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix)
            k -= 1
        }
        k0 = k0 * q * sqrt2Pi / z
        k1 = k1 * q * sqrt2Pi / (6 * zfour)
        k2 = k2 * q * sqrt2Pi / (72 * pow(z, 7))
        k3 = k3 * q * sqrt2Pi / (6480 * pow(z, 10))

        // The other sums, over all integers k: K2 gets (pi^2 k^2) q^(k^2),
        // K3 gets (3 pi^2 k^2 z^2 - pi^4 k^4) q^(k^2).
        q = exp(-piSquared / 2 / zsquared)
        let sqrt3z = sqrt3 * z
        var k2extra = 0.0
        var k3extra = 0.0
        k = maxk
        while k >= 1 {
            let ksquared = Double(k * k)
            let kspi = Double.pi * Double(k)
            let qpwer = pow(q, ksquared)
            k2extra += ksquared * qpwer
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer
            k -= 1
        }
        k2extra *= piSquared * sqrt2Pi / (-36 * zthree)
        k3extra *= piSquared * sqrt2Pi / (216 * zsix)
        k2 += k2extra
        k3 += k3extra

        k1 /= pow(nd, 0.5)
        k2 /= pow(nd, 1.0)
        k3 /= pow(nd, 1.5)
        return ((k0 + k1) + k2) + k3
    }
}
