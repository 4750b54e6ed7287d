import Testing

@testable import DriftStats

/// Expected values from statsmodels 0.15.0 `multipletests(p, alpha=0.05, method=...)`
/// (`'bonferroni'`, `'fdr_bh'`), checked by hand for the first family.
@Suite struct PValueCorrectionTests {
    @Test func bonferroni() {
        let p = [0.01, 0.04, 0.03, 0.005, 0.2]
        // By hand: p · 5, clipped to 1; reject p ≤ 0.05/5 = 0.01.
        #expect(PValueCorrection.bonferroni.adjusted(p) == [0.05, 0.2, 0.15, 0.025, 1.0])
        #expect(PValueCorrection.bonferroni.rejected(p) == [true, false, false, true, false])
        let q = [0.001, 0.9, 0.02, 0.02, 0.04, 0.3, 0.0001]
        #expect(PValueCorrection.bonferroni.adjusted(q) == [0.007, 1.0, 0.14, 0.14, 0.28, 1.0, 0.0007])
        #expect(PValueCorrection.bonferroni.rejected(q) == [true, false, false, false, false, false, true])
    }

    @Test func benjaminiHochberg() {
        // By hand: sorted 0.005, 0.01, 0.03, 0.04, 0.2 → p·5/rank = 0.025, 0.025, 0.05, 0.05, 0.2
        // (statsmodels divides by rank/m, hence 0.024999999999999998).
        let p = [0.01, 0.04, 0.03, 0.005, 0.2]
        let bh = PValueCorrection.benjaminiHochberg
        #expect(
            bh.adjusted(p) == [
                0.024999999999999998, 0.049999999999999996, 0.049999999999999996, 0.024999999999999998, 0.2,
            ])
        #expect(bh.rejected(p) == [true, true, true, true, false])
        let q = [0.001, 0.9, 0.02, 0.02, 0.04, 0.3, 0.0001]
        #expect(bh.adjusted(q) == [0.0035, 0.9, 0.035, 0.035, 0.056, 0.35000000000000003, 0.0007000000000000001])
        #expect(bh.rejected(q) == [true, false, true, true, false, false, true])
        // Ties share one adjusted value; monotone step-up.
        #expect(
            bh.adjusted([0.05, 0.05, 0.05, 0.5]) == [
                0.06666666666666667, 0.06666666666666667, 0.06666666666666667, 0.5,
            ])
        #expect(bh.rejected([0.05, 0.05, 0.05, 0.5]) == [false, false, false, false])
        #expect(bh.adjusted([0.5, 0.6]) == [0.6, 0.6])
    }

    @Test func stepUpRejectsBelowTheLargestPassingRank() {
        // p(1) = 0.03 > α/3 but p(2) = 0.031 ≤ 2α/3: both are rejected (step-up, not step-down).
        #expect(PValueCorrection.benjaminiHochberg.rejected([0.031, 0.03, 0.9]) == [true, true, false])
        let adjusted = PValueCorrection.benjaminiHochberg.adjusted([0.031, 0.03, 0.9])
        #expect(
            zip(adjusted, PValueCorrection.benjaminiHochberg.rejected([0.031, 0.03, 0.9])).allSatisfy {
                ($0 <= 0.05) == $1
            })
    }

    @Test func specialInput() {
        for method in PValueCorrection.allCases {
            #expect(method.adjusted([]) == [])
            #expect(method.rejected([]) == [])
            #expect(method.adjusted([0.03]) == [0.03])
            // NaN is left out of the family: m = 2 here.
            let withNaN = method.adjusted([0.01, .nan, 0.02])
            #expect(withNaN[1].isNaN && withNaN[0] == 0.02 && withNaN[2] == (method == .bonferroni ? 0.04 : 0.02))
            #expect(method.rejected([0.01, .nan, 0.02]) == [true, false, true])
            #expect(method.adjusted([Double.nan]).allSatisfy { $0.isNaN })
        }
        #expect(PValueCorrection.benjaminiHochberg.rawValue == "fdr_bh")
    }
}
