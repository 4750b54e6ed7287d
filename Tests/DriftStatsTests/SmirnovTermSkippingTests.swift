import Testing

@testable import DriftStats

/// The Smirnov sum skips the terms it can tell underflow to zero (`SmirnovDistribution.underflows`)
/// instead of computing them: the result must be the same, bit for bit, as computing every term.
@Suite struct SmirnovTermSkippingTests {
    @Test func skippingUnderflowingTermsChangesNoBit() {
        var cases: [(Int, Double)] = []
        for n in [12, 57, 140, 1_000, 9_999, 20_000] {
            for x in [0.0005, 0.003, 0.01, 0.02, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9] { cases.append((n, x)) }
        }
        cases += [(500_000, 0.019981000000000027), (500_000, 0.0015)]  // the first: most terms underflow
        for (n, x) in cases {
            let skipping = SmirnovDistribution.evaluate(n: n, x: x, skipUnderflowingTerms: true)
            let full = SmirnovDistribution.evaluate(n: n, x: x, skipUnderflowingTerms: false)
            #expect(skipping.sf.bitPattern == full.sf.bitPattern, "n \(n) x \(x): \(skipping.sf) vs \(full.sf)")
            #expect(skipping.cdf.bitPattern == full.cdf.bitPattern, "n \(n) x \(x)")
        }
    }

    static let frexpInputs: [Double] = [
        1.0, -3.5, 0.1, 1e-300, -2.2250738585072014e-308, .leastNonzeroMagnitude, 1.7976931348623157e308, 0.0, -0.0,
    ]

    @Test func fastFrexpIsCs() {
        for x in Self.frexpInputs {
            let (m, e) = KSDoubleDouble.frexp(x)
            let expected =
                x == 0 ? (x, 0) : (Double(sign: x.sign, exponent: -1, significand: x.significand), Int(x.exponent) + 1)
            #expect(m.bitPattern == expected.0.bitPattern && e == expected.1, "frexp \(x)")
        }
    }

    @Test func fastLdexpIsCs() {
        for x in Self.frexpInputs {
            for k in [-1100, -1074, -1022, -60, -1, 0, 1, 60, 1023, 1100] {
                let got = KSDoubleDouble.ldexp(x, k)
                let want = Double(sign: .plus, exponent: k, significand: x)
                #expect(got.bitPattern == want.bitPattern, "ldexp \(x) \(k)")
            }
        }
    }
}
