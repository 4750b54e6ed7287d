import Foundation

/// `P(D_n <= d)` for the two-sided one-sample KS statistic by Pomeranz's recursion
/// (Pomeranz 1974, ACM Algorithm 487): `2n + 1` convolutions of a short row with truncated
/// Poisson weights `(g/n)^m/m!`, `(2g/n)^m/m!`, `((1-2g)/n)^m/m!` (`g` = distance of `n·d` to the
/// nearest integer), then multiplication by `n!`.
/// Matches `scipy.stats._ksstats._kolmogn_Pomeranz`, including its 2^128 rescaling.
///
/// Complexity: O(n · (n·d)²) time, O(n·d) memory; scipy uses it only for n <= 140.
enum KolmogorovPomeranz {
    /// `P(D_n <= x)`, clipped to [0, 1].
    static func cdf(n: Int, x: Double) -> Double {
        let t = Double(n) * x
        let ll = Int(t.rounded(.down))
        let f = t - Double(ll)
        let g = min(f, 1.0 - f)
        let ceilf = f > 0 ? 1 : 0
        let roundf = f > 0.5 ? 1 : 0
        let npwrs = 2 * (ll + 1)
        let nd = Double(n)

        // (g/n)^m/m!, (2g/n)^m/m!, ((1-2g)/n)^m/m!: Poisson probabilities without the normalising factor.
        var gPower = [Double](repeating: 1, count: npwrs)
        var twoGPower = [Double](repeating: 1, count: npwrs)
        var oneMinus2GPower = [Double](repeating: 1, count: npwrs)
        let gOverN = g / nd
        let twoGOverN = 2 * g / nd
        let oneMinusTwoGOverN = (1 - 2 * g) / nd
        for m in 1..<npwrs {
            gPower[m] = gPower[m - 1] * gOverN / Double(m)
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / Double(m)
            oneMinus2GPower[m] = oneMinus2GPower[m - 1] * oneMinusTwoGOverN / Double(m)
        }

        var v0 = [Double](repeating: 0, count: npwrs)
        var v1 = [Double](repeating: 0, count: npwrs)
        v1[0] = 1
        var v0Start = 0
        var v1Start = 0
        var exponent = 0

        var (j1, j2) = bounds(row: 0, n: n, ll: ll, ceilf: ceilf, roundf: roundf)
        for i in 1..<(2 * n + 2) {
            let k1 = j1
            swap(&v0, &v1)
            swap(&v0Start, &v1Start)
            for idx in 0..<npwrs { v1[idx] = 0 }
            (j1, j2) = bounds(row: i, n: n, ll: ll, ceilf: ceilf, roundf: roundf)
            let pw = (i == 1 || i == 2 * n + 1) ? gPower : (i % 2 == 1 ? twoGPower : oneMinus2GPower)
            let ln2 = j2 - k1 + 1
            guard ln2 > 0 else { continue }
            // conv = full convolution of V0[k1-V0s ..< k1-V0s+ln2] with pwrs[..<ln2];
            // V1[0..<convLen] = conv[convStart ..< convStart+convLen].
            let sliceStart = max(k1 - v0Start, 0)
            let sliceEnd = min(max(k1 - v0Start + ln2, 0), npwrs)
            let aLen = max(sliceEnd - sliceStart, 0)
            let bLen = min(ln2, npwrs)
            let convStart = j1 - k1
            let convLen = j2 - j1 + 1
            let fullLen = aLen + bLen - 1
            var maxValue = -Double.infinity
            for r in 0..<max(convLen, 0) {
                let c = convStart + r
                var sum = 0.0
                if c >= 0 && c < fullLen {
                    let lo = max(0, c - (bLen - 1))
                    let hi = min(aLen - 1, c)
                    if lo <= hi {
                        for a in lo...hi { sum += v0[sliceStart + a] * pw[c - a] }
                    }
                }
                if r < npwrs { v1[r] = sum }
            }
            for value in v1 where value > maxValue { maxValue = value }
            if maxValue > 0 && maxValue < KolmogorovDurbinMatrix.smallScale {
                for idx in 0..<npwrs { v1[idx] *= KolmogorovDurbinMatrix.bigScale }
                exponent -= KolmogorovDurbinMatrix.scaleExponent
            }
            v1Start = v0Start + j1 - k1
        }

        // Multiply by n!.
        let index = n - v1Start
        var answer = (index >= 0 && index < npwrs) ? v1[index] : 0
        for m in 1...max(n, 1) {
            if abs(answer) > KolmogorovDurbinMatrix.bigScale {
                answer *= KolmogorovDurbinMatrix.smallScale
                exponent += KolmogorovDurbinMatrix.scaleExponent
            }
            answer *= Double(m)
        }
        if exponent != 0 { answer = KSDoubleDouble.ldexp(answer, exponent) }
        return min(max(answer, 0), 1)
    }

    /// The first and last non-zero index of row `i` (scipy `_pomeranz_compute_j1j2`).
    static func bounds(row i: Int, n: Int, ll: Int, ceilf: Int, roundf: Int) -> (Int, Int) {
        var j1: Int
        var j2: Int
        if i == 0 {
            j1 = -ll - ceilf - 1
            j2 = ll + ceilf - 1
        } else {
            let ip1div2 = (i + 1) / 2
            let ip1mod2 = (i + 1) % 2
            if ip1mod2 == 0 {  // i is odd
                if ip1div2 == n + 1 {
                    j1 = n - ll - ceilf - 1
                    j2 = n + ll + ceilf - 1
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1
                    j2 = ip1div2 + ll - 1 + ceilf - 1
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1
                j2 = ip1div2 + ll + roundf - 1
            }
        }
        return (max(j1 + 2, 0), min(j2, n))
    }
}
