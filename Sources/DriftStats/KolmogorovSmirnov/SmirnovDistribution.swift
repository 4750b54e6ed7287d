import Foundation

/// The exact one-sided Kolmogorov–Smirnov (Smirnov) distribution,
/// `P(D_n^+ >= x) = x Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^{v-1} (1 - x - v/n)^{n-v}`
/// (Birnbaum & Tingey 1951), computed as `scipy.special.smirnov` (xsf `cephes/kolmogorov.h`,
/// van Mulbregt 2018): double-double terms with separate binary exponents, the upper sum when it
/// has at most 3 terms, closed forms for `x <= 1/n` and `x >= 1 - 1/n`, and the approximation
/// `exp(-(6nx+1)²/(18n))` for `n > 1,000,000`.
///
/// Complexity: O(number of terms until the tail is below machine precision) ≤ O(n).
enum SmirnovDistribution {
    /// `n` above which scipy switches to the closed-form approximation.
    static let maxComputeN = 1_000_000
    /// Use the upper sum when it has at most this many terms (and n >= `upperSumMinN`).
    static let upperSumMaxTerms = 3
    static let upperSumMinN = 10
    /// `log(2^-1075)`: cephes `MINLOG`.
    static let minLog = -7.451332191019412076235e2
    /// xsf `SM_MAX_EXPONENT`.
    static let maxExponent = 960
    /// `ln 2`.
    static let ln2 = 0.693147180559945309417232121458176568

    /// `scipy.special.smirnov(n, x)`: `P(D_n^+ >= x)`; NaN outside `n > 0, 0 <= x <= 1`.
    static func survival(n: Int, x: Double) -> Double { evaluate(n: n, x: x).sf }

    /// `scipy.special.smirnovc(n, x)`: `P(D_n^+ < x)`.
    static func cdf(n: Int, x: Double) -> Double { evaluate(n: n, x: x).cdf }

    /// Survival function and CDF, computed together as xsf's `_smirnov`.
    static func evaluate(n: Int, x: Double) -> (sf: Double, cdf: Double) {
        evaluate(n: n, x: x, skipUnderflowingTerms: true)
    }

    /// `evaluate(n:x:)`; with `skipUnderflowingTerms` off, every term is computed (the reference the
    /// skipping is tested against).
    static func evaluate(n: Int, x: Double, skipUnderflowingTerms: Bool) -> (sf: Double, cdf: Double) {
        guard n > 0, x >= 0, x <= 1 else { return (.nan, .nan) }
        if n == 1 { return (1 - x, x) }
        if x == 0 { return (1, 0) }
        if x == 1 { return (0, 1) }

        let (alpha, nxfl, _) = modNX(n, x)
        var n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1)
        var n1mxceil = n - nxfl
        // If alpha is 0, the last term is excluded from both the lower and the upper sums.
        if alpha == 0 {
            n1mxfl -= 1
            n1mxceil += 1
        }

        // x <= 1/n.
        if nxfl == 0 || (nxfl == 1 && alpha == 0) {
            let t = pow2(1, x, n - 1)
            let cdf = x * t
            return (1 - cdf, cdf)
        }
        // The survival function underflows.
        if -2 * Double(n) * x * x < minLog { return (0, 1) }
        // x >= 1 - 1/n.
        if nxfl >= n - 1 {
            let sf = pow2(1, -x, n)
            return (sf, 1 - sf)
        }
        // Very large n: closed-form approximation.
        if n > maxComputeN {
            let nd = Double(n)
            let logp = -pow(6.0 * nd * x + 1, 2) / 18.0 / nd
            if logp < -SmirnovDistribution.ln2 {
                let sf = exp(logp)
                return (sf, 1 - sf)
            }
            let cdf = -expm1(logp)
            return (1 - cdf, cdf)
        }

        let nUpperTerms = n - n1mxceil + 1
        var useUpperSum = nUpperTerms <= 1 && x < 0.5
        useUpperSum =
            useUpperSum
            || (n >= upperSumMinN && nUpperTerms <= upperSumMaxTerms && x <= 0.5 / Double(n).squareRoot())

        var start = 0
        var step = 1
        var nTerms = n1mxfl + 1
        let vmid = n / 2
        var cMantissa = KSDoubleDouble(1.0)
        var cExponent = 0
        var aj: KSDoubleDouble
        if useUpperSum {
            start = n
            step = -1
            nTerms = n - n1mxceil + 1
            aj = pow4(1, x, 1, 0, n - 1)
        } else {
            let t2 = pow4(1, -x, 1, 0, n)
            aj = t2 / x
        }
        var ajSum = KSDoubleDouble(0.0) + aj
        updateBinomial(&cMantissa, &cExponent, n, 0)

        var j = 1
        while j < nTerms {
            let v = start + j * step
            if skipUnderflowingTerms && underflows(n: n, x: x, v: v, cExponent: cExponent) {
                aj = KSDoubleDouble(0.0)  // what termAv would return, for a fraction of the cost
            } else {
                aj = termAv(n: n, x: x, v: v, cMantissa: cMantissa, cExponent: cExponent)
            }
            if aj.isFinite && !aj.isZero {
                ajSum = ajSum + aj
            }
            // Safe to stop early?
            if !aj.isZero {
                if 4 * Double(nTerms - j) * abs(aj.value) < Double.ulpOfOne * ajSum.value && j != nTerms - 1 {
                    break
                }
            } else if j > vmid {
                break
            }
            updateBinomial(&cMantissa, &cExponent, n, j)
            j += 1
        }
        let prob = (x * ajSum).value
        let sf: Double
        let cdf: Double
        if step < 0 {
            cdf = prob
            sf = 1 - prob
        } else {
            cdf = 1 - prob
            sf = prob
        }
        return (min(max(sf, 0), 1), min(max(cdf, 0), 1))
    }

    /// `floor(n·x)` and the remainder `n·x - floor(n·x)`, computed exactly in double-double
    /// (a remainder that rounds to 1 is folded into the floor). Also returns `n·x` as a double.
    static func modNX(_ n: Int, _ x: Double) -> (alpha: Double, floor: Int, nx: Double) {
        let nxD = Double(n) * KSDoubleDouble(x)
        let nxFloorD = nxD.floor
        let alphaD = nxD - nxFloorD
        var alpha = alphaD.hi
        var nxFloor = Int(exactly: nxFloorD.hi.rounded(.towardZero)) ?? 0
        if alpha == 1 {
            nxFloor += 1
            alpha = 0
        }
        return (alpha, nxFloor, nxD.hi)
    }

    /// `C(n, j+1)` from `C(n, j)`, stored as a double-double mantissa in [0.5, 1) and an exponent.
    @inline(__always)
    static func updateBinomial(_ mantissa: inout KSDoubleDouble, _ exponent: inout Int, _ n: Int, _ j: Int) {
        let ratio = KSDoubleDouble(Double(n - j)) / (Double(j) + 1.0)
        let (m, e) = (mantissa * ratio).frexp
        exponent += e
        mantissa = m
    }

    /// `a^m` for a double-double `a`: `pow(a.hi, m)` corrected to first order in `a.lo/a.hi`
    /// (xsf `pow_D`; deliberately not a full double-double power).
    static func powD(_ a: KSDoubleDouble, _ m: Int) -> KSDoubleDouble {
        if m <= 0 {
            if m == 0 { return KSDoubleDouble(1.0) }
            return 1.0 / powD(a, -m)
        }
        if a.isZero { return KSDoubleDouble(0.0) }
        let md = Double(m)
        let ans = pow(a.hi, md)
        let r = a.lo / a.hi
        var adj = md * r
        if abs(adj) > 1e-8 {
            if abs(adj) < 1e-4 {
                // First two terms of the Taylor series of (1 + r)^m.
                adj += (md * r) * ((md - 1) / 2.0 * r)
            } else {
                adj = expm1(md * log1p(r))
            }
        }
        return KSDoubleDouble(ans) + ans * adj
    }

    /// `(a + b)^m` as a double.
    @inline(__always) static func pow2(_ a: Double, _ b: Double, _ m: Int) -> Double {
        powD(KSDoubleDouble(a) + b, m).value
    }

    /// xsf `nextPowerOf2` (which, despite its name, rounds `x` up by one unit in the last place).
    static func nextPowerOf2(_ x: Double) -> Double {
        let q = KSDoubleDouble.ldexp(x, 1 - Double.significandBitCount - 1)
        var l = abs(q + x)
        if l == 0 {
            l = abs(x)
        } else if let lInt = Int32(exactly: l.rounded(.towardZero)), Double(lInt) == l {
            l = Double(lInt)
        }
        return l
    }

    /// `a^m = mantissa · 2^exponent` without overflow or underflow (xsf `pow2Scaled_D`).
    static func pow2Scaled(_ a: KSDoubleDouble, _ m: Int) -> (KSDoubleDouble, Int) {
        if m <= 0 {
            if m == 0 { return (KSDoubleDouble(1.0), 0) }
            let (ans, e1) = pow2Scaled(a, -m)
            let (inv, e2) = (1.0 / ans).frexp
            return (inv, -e1 + e2)
        }
        let (y, yE) = a.frexp
        if m == 1 { return (y, yE) }
        var maxExpt = maxExponent
        // Quick check whether the exponentiation must be split to stay above 2^-960.
        if Double(m) * (y.hi - 1) / y.hi < -Double(maxExponent) * SmirnovDistribution.ln2 {
            let lg2y = log(y.hi) / SmirnovDistribution.ln2
            let lgAns = Double(m) * lg2y
            if lgAns <= -Double(maxExponent) {
                let bound = nextPowerOf2(-Double(maxExponent) / lg2y + 1) / 2
                maxExpt = Int(exactly: bound.rounded(.towardZero)) ?? maxExponent
            }
        }
        if m <= maxExpt || maxExpt <= 0 {
            let (ans, ansE) = powD(y, m).frexp
            return (ans, ansE + m * yE)
        }
        let q = m / maxExpt
        let r = m % maxExpt
        // y^m = (y^maxExpt)^q * y^r
        let (y2r, y2rE) = pow2Scaled(y, r)
        let (y2m, y2mE) = pow2Scaled(y, maxExpt)
        let (y2mq, y2mqE0) = pow2Scaled(y2m, q)
        let (ans, ansE0) = (y2r * y2mq).frexp
        let y2mqE = y2mqE0 + y2mE * q
        return (ans, ansE0 + y2mqE + y2rE + m * yE)
    }

    /// `((a + b)/(c + d))^m` in double-double (xsf `pow4_D`).
    static func pow4(_ a: Double, _ b: Double, _ c: Double, _ d: Double, _ m: Int) -> KSDoubleDouble {
        if m <= 0 {
            if m == 0 { return KSDoubleDouble(1.0) }
            return pow4(c, d, a, b, -m)
        }
        let numerator = KSDoubleDouble(a) + b
        let denominator = KSDoubleDouble(c) + d
        if numerator.isZero {
            return denominator.isZero ? KSDoubleDouble(.nan, .nan) : KSDoubleDouble(0.0)
        }
        if denominator.isZero {
            return numerator.hi < 0 ? KSDoubleDouble(-.infinity, -.infinity) : KSDoubleDouble(.infinity, .infinity)
        }
        return powD(numerator / denominator, m)
    }

    /// Whether `termAv(n:x:v:…)` certainly underflows to zero. Its magnitude is
    /// `c · 2^cExponent · (v/n + x)^(v-1) · (1 - x - v/n)^(n-v)` with `c` in [0.5, 1), so
    /// `log2 ≈ cExponent + (v-1)·log2(v/n + x) + (n-v)·log2(1 - x - v/n)` to within a few units (the
    /// double-double mantissas lie in [0.5, 1); the logarithms' rounding is far below one unit); a
    /// term more than 64 binary orders below the smallest subnormal is zero. For large n and a small
    /// p-value most of the sum's terms are such zeros, and each costs two `pow` calls to find out.
    @inline(__always)
    static func underflows(n: Int, x: Double, v: Int, cExponent: Int) -> Bool {
        let nd = Double(n)
        let low = Double(n - v) / nd - x
        let high = Double(v) / nd + x
        guard low > 0, high > 0 else { return false }
        let log2Magnitude = Double(cExponent) + Double(n - v) * log2(low) + Double(v - 1) * log2(high)
        return log2Magnitude < -1074 - 64
    }

    /// One term `A_v = C(n,v) (1 - x - v/n)^{n-v} (x + v/n)^{v-1}` of the sum.
    @inline(__always)
    static func termAv(n: Int, x: Double, v: Int, cMantissa: KSDoubleDouble, cExponent: Int) -> KSDoubleDouble {
        let nd = Double(n)
        let t2x = KSDoubleDouble(Double(n - v)) / nd - x
        let (t2, t2E) = pow2Scaled(t2x, n - v)
        let t1x = KSDoubleDouble(Double(v)) / nd + x
        let (t1, t1E) = pow2Scaled(t1x, v - 1)
        let ans = (t1 * t2) * cMantissa
        return ans.ldexp(cExponent + t1E + t2E)
    }
}
