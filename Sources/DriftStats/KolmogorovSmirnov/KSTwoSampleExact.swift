import Foundation

/// The exact null distribution of the two-sample, two-sided KS statistic, as scipy computes it
/// (scipy 1.17.1 `scipy/stats/_stats_py.py::_attempt_exact_2kssamp`): `D` is first rounded to the
/// lattice `h/lcm(n1, n2)` with `h = round(D·lcm)` (half to even), then
/// `P(D_{n1,n2} >= h/lcm)` is the proportion of monotone lattice paths from (0,0) to (n1,n2) that
/// touch or cross `|x/n1 - y/n2| >= h/lcm` (Hodges 1958):
/// * `n1 == n2 = n`: `2 Σ_{k>=1} (-1)^{k-1} C(2n, n-kh)/C(2n, n)` by scipy's Horner form
///   (`_compute_prob_outside_square`), O(n) time;
/// * otherwise Viehmann's (2021) recursion for `1 - p` that stays within the band
///   (`_compute_outer_prob_inside_method`), O(max(n1,n2) · band width) ≤ O(n1·n2) time,
///   O(min(n1,n2)) memory, one flat buffer and no allocation per step.
///
/// The computation "fails" — and `ks_2samp` falls back to the asymptotic p-value — exactly when
/// scipy's does: when the result lies outside [0, 1] (rounding can push the n1 == n2 Horner sum to
/// `1 + 2^-52` when D is small).
enum KSTwoSampleExact {
    /// Outcome of `attempt`: whether scipy accepts the exact value, the statistic rounded to
    /// `h/lcm`, and the p-value (meaningless when `succeeded` is false).
    struct Outcome: Sendable, Equatable {
        let succeeded: Bool
        let statistic: Double
        let pValue: Double
    }

    /// `_attempt_exact_2kssamp(n1, n2, g, d, 'two-sided')`. Requires `n1, n2 >= 1`.
    static func attempt(n1: Int, n2: Int, d: Double) -> Outcome {
        let g = gcd(n1, n2)
        let lcm = (n1 / g) * n2
        let scaled = (d * Double(lcm)).rounded(.toNearestOrEven)
        guard scaled.isFinite, let h = Int(exactly: scaled) else {
            return Outcome(succeeded: false, statistic: d, pValue: .nan)
        }
        let rounded = Double(h) / Double(lcm)
        if h == 0 { return Outcome(succeeded: true, statistic: rounded, pValue: 1.0) }
        let prob =
            n1 == n2
            ? probabilityOutsideSquare(n: n1, h: h)
            : outerProbabilityInsideMethod(m: n1, n: n2, g: g, h: h)
        guard prob >= 0, prob <= 1 else { return Outcome(succeeded: false, statistic: rounded, pValue: prob) }
        return Outcome(succeeded: true, statistic: rounded, pValue: prob)
    }

    /// `P(D_{n,n} >= h/n) = 2·A0·(1 - A1·(1 - A2·(1 - ...)))` where
    /// `A_k = Π_{j<h} (n - kh - j)/(n + kh + j + 1)` (scipy `_compute_prob_outside_square`). O(n).
    static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        guard h > 0 else { return 1 }
        var p = 0.0
        var k = Int((Double(n) / Double(h)).rounded(.down))
        while k >= 0 {
            var p1 = 1.0
            let kh = k * h
            for j in 0..<h {
                p1 = Double(n - kh - j) * p1 / Double(n + kh + j + 1)
            }
            p = p1 * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }

    /// Proportion of lattice paths (0,0)→(m,n) that leave the band `|n·x/g - m·y/g| < h`
    /// (scipy `_compute_outer_prob_inside_method`, computing `1 - p` directly within the band as in
    /// Viehmann 2021). Only a sliding window of one column is kept.
    static func outerProbabilityInsideMethod(m mIn: Int, n nIn: Int, g: Int, h: Int) -> Double {
        // Symmetric in m, n; the computation uses m >= n.
        let m = max(mIn, nIn)
        let n = min(mIn, nIn)
        let mg = Double(m / g)
        let ng = n / g
        let hd = Double(h)

        var minj = 0
        var maxj = min(Int((hd / mg).rounded(.up)), n + 1)
        var curlen = maxj - minj
        let lenA = min(2 * maxj + 2, n + 1)
        // One slack element (never read by the recursion) keeps every index in range.
        var window = [Double](repeating: 1.0, count: lenA + 1)
        return window.withUnsafeMutableBufferPointer { a -> Double in
            for idx in minj..<maxj { a[idx] = 0.0 }
            for i in 1...m {
                let lastminj = minj
                let lastlen = curlen
                minj = max(Int((Double(ng * i - h) / mg).rounded(.down)) + 1, 0)
                minj = min(minj, n)
                maxj = min(Int((Double(ng * i + h) / mg).rounded(.up)), n + 1)
                if maxj <= minj { return 1.0 }
                let di = Double(i)
                var val = minj == 0 ? 0.0 : 1.0
                let shift = minj - lastminj
                let width = maxj - minj
                for jj in 0..<width {
                    let j = Double(jj + minj)
                    val = (a[jj + shift] * di + val * j) / (di + j)
                    a[jj] = val
                }
                curlen = width
                if lastlen > curlen {
                    // Set the carried-over elements to 1.
                    let end = min(width + (lastlen - curlen), a.count)
                    if width < end { for idx in width..<end { a[idx] = 1 } }
                }
            }
            return a[maxj - minj - 1]
        }
    }

    /// Greatest common divisor (Euclid), `gcd(0, 0) = 0`.
    static func gcd(_ a: Int, _ b: Int) -> Int {
        var x = a.magnitude
        var y = b.magnitude
        while y != 0 { (x, y) = (y, x % y) }
        return Int(x)
    }
}
