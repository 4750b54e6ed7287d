import Foundation
import Testing

@testable import DriftStats

/// Counts per category of `reference` ∪ `current`, categories ascending (numbers numerically,
/// `-0.0` and `0.0` as one value, like Python's `set`).
func categoryCounts(reference: [Double], current: [Double]) -> (categories: [Double], ref: [Int], cur: [Int]) {
    var r = [Double: Int]()
    var c = [Double: Int]()
    for v in reference { r[v, default: 0] += 1 }
    for v in current { c[v, default: 0] += 1 }
    let categories = Set(r.keys).union(c.keys).sorted()
    return (categories, categories.map { r[$0] ?? 0 }, categories.map { c[$0] ?? 0 })
}

/// Counts per category of `reference` ∪ `current`, categories in code-point order, exact strings.
func categoryCounts(reference: [String], current: [String]) -> (categories: [String], ref: [Int], cur: [Int]) {
    var r = [ExactLabel: Int]()
    var c = [ExactLabel: Int]()
    for v in reference { r[ExactLabel(v), default: 0] += 1 }
    for v in current { c[ExactLabel(v), default: 0] += 1 }
    let categories = Set(r.keys).union(c.keys).map(\.string).sorted(by: LabelOrder.codePointPrecedes)
    return (categories, categories.map { r[ExactLabel($0)] ?? 0 }, categories.map { c[ExactLabel($0)] ?? 0 })
}

@Suite struct ChiSquareGoldenTests {
    @Test func corpusIsLoaded() {
        // Guards against a silently empty parameterized test (e.g. a missing resource bundle).
        #expect(GoldenCase.drift.count >= 14)
        let withChiSquare = GoldenCase.drift.filter { c in
            (c.numericalColumns + c.categoricalColumns).contains { c.column($0)["chi2_contingency"] != nil }
        }
        #expect(withChiSquare.count >= 7)
    }

    @Test(arguments: GoldenCase.drift)
    func chiSquareMatchesGolden(_ golden: GoldenCase) throws {
        for name in golden.numericalColumns + golden.categoricalColumns {
            let column = golden.column(name)
            guard let expected = column["chi2_contingency"] as? [String: Any] else { continue }
            let what = "\(golden.id)/\(name)"
            let jsonCategories = try #require(expected["categories"] as? [Any], "\(what): categories")
            let counts: (ref: [Int], cur: [Int])
            if column["type"] as? String == "numerical" {
                let built = categoryCounts(
                    reference: golden.numbers("reference.csv", name), current: golden.numbers("current.csv", name))
                let expectedCategories = jsonCategories.map { goldenDouble($0) ?? .nan }
                #expect(
                    built.categories.elementsEqual(expectedCategories) { $0 == $1 },
                    "\(what): categories \(built.categories) vs \(expectedCategories)")
                counts = (built.ref, built.cur)
            } else {
                let built = categoryCounts(
                    reference: golden.strings("reference.csv", name), current: golden.strings("current.csv", name))
                let expectedCategories = jsonCategories.compactMap { $0 as? String }
                #expect(
                    built.categories.map(ExactLabel.init) == expectedCategories.map(ExactLabel.init),
                    "\(what): categories")
                counts = (built.ref, built.cur)
            }
            #expect(counts.ref == (expected["ref_counts"] as? [Int]), "\(what): ref_counts")
            #expect(counts.cur == (expected["cur_counts"] as? [Int]), "\(what): cur_counts")

            let corrected = ChiSquare.contingency(referenceCounts: counts.ref, currentCounts: counts.cur)
            let plain = ChiSquare.contingency(
                referenceCounts: counts.ref, currentCounts: counts.cur, correction: false)
            for (result, key) in [(corrected, "default"), (plain, "no_correction")] {
                let block = try #require(expected[key] as? [String: Any], "\(what): \(key)")
                expectClose(result.statistic, goldenDouble(block["statistic"]), relative: 1e-12, "\(what) \(key) X²")
                expectClose(result.pValue, goldenDouble(block["pvalue"]), relative: 1e-9, "\(what) \(key) p")
                #expect(result.degreesOfFreedom == block["dof"] as? Int, "\(what) \(key) dof")
                if let yates = block["yates_correction_applied"] as? Bool {
                    #expect(result.yatesCorrectionApplied == yates, "\(what) \(key) Yates")
                }
            }

            if let evidently = column["evidently_chisquare"] as? [String: Any] {
                let fit = ChiSquare.goodnessOfFit(referenceCounts: counts.ref, currentCounts: counts.cur)
                expectClose(
                    fit.statistic, goldenDouble(evidently["statistic"]), relative: 1e-12, "\(what) evidently X²")
                expectClose(fit.pValue, goldenDouble(evidently["pvalue"]), relative: 1e-9, "\(what) evidently p")
                #expect(fit.degreesOfFreedom == evidently["dof"] as? Int, "\(what) evidently dof")
            }
            if let z = column["evidently_z"] as? [String: Any] {
                let p = TwoProportionZTest.pValue(referenceCounts: counts.ref, currentCounts: counts.cur)
                expectClose(p, goldenDouble(z["pvalue"]), relative: 1e-9, "\(what) evidently z p")
            }
        }
    }
}

/// Reference numbers: scipy 1.17.1 `chi2_contingency` / `chisquare`, and Evidently 0.7.23's z-test
/// formula evaluated with scipy 1.17.1's `norm.cdf`; the small tables also by hand.
@Suite struct ChiSquareTests {
    @Test func contingencyTwoByTwoAppliesYates() {
        // E = [12 18; 28 42], |O−E| = 2. Without correction 4/12 + 4/18 + 4/28 + 4/42 = 50/63;
        // with Yates 1.5² · (1/12 + 1/18 + 1/28 + 1/42) = 0.44642857…
        let yates = ChiSquare.contingency(referenceCounts: [10, 20], currentCounts: [30, 40])
        #expect(isClose(yates.statistic, 0.4464285714285714))
        #expect(isClose(yates.pValue, 0.5040358664525046, relative: 1e-12))
        #expect(yates.degreesOfFreedom == 1 && yates.yatesCorrectionApplied)
        let plain = ChiSquare.contingency(referenceCounts: [10, 20], currentCounts: [30, 40], correction: false)
        #expect(isClose(plain.statistic, 50.0 / 63.0))
        #expect(isClose(plain.pValue, 0.37299848361348686, relative: 1e-12))
        #expect(!plain.yatesCorrectionApplied)
    }

    @Test func yatesNeverOvershootsExpected() {
        // |O − E| < 0.5 everywhere: the correction moves O exactly onto E (scipy gh-13875).
        let r = ChiSquare.contingency(referenceCounts: [5, 5], currentCounts: [5, 6])
        #expect(r.statistic == 0 && r.pValue == 1 && r.yatesCorrectionApplied)
        let plain = ChiSquare.contingency(referenceCounts: [5, 5], currentCounts: [5, 6], correction: false)
        #expect(isClose(plain.statistic, 0.043388429752066124))
        #expect(isClose(plain.pValue, 0.8349955942110459, relative: 1e-12))
    }

    @Test func contingencyLargerTables() {
        let cases: [([Int], [Int], Double, Double, Int)] = [
            ([10, 20, 30], [15, 25, 5], 17.629629629629633, 0.0001485164524699713, 2),
            ([1500, 1000, 500], [1000, 1500, 500], 200.0, 3.7200759760208177e-44, 2),
            ([12, 0, 7], [3, 9, 1], 18.422672064777327, 9.990048350928822e-05, 2),
        ]
        for (ref, cur, statistic, p, dof) in cases {
            let r = ChiSquare.contingency(referenceCounts: ref, currentCounts: cur)
            #expect(isClose(r.statistic, statistic), "\(ref) \(cur)")
            #expect(isClose(r.pValue, p, relative: 1e-9), "\(ref) \(cur)")
            #expect(r.degreesOfFreedom == dof && !r.yatesCorrectionApplied)
        }
        let big = ChiSquare.contingency(
            referenceCounts: [1_000_000, 2_000_000], currentCounts: [1_001_000, 1_999_000])
        #expect(isClose(big.statistic, 0.7483137650979461))
        #expect(isClose(big.pValue, 0.3870106283957896, relative: 1e-9))
        let strong = ChiSquare.contingency(referenceCounts: [600, 400], currentCounts: [400, 600])
        #expect(isClose(strong.statistic, 79.202))
        #expect(isClose(strong.pValue, 5.607328595266546e-19, relative: 1e-9))
    }

    @Test func contingencySpecialInput() {
        let single = ChiSquare.contingency(referenceCounts: [100], currentCounts: [80])
        #expect(single == ChiSquareResult(statistic: 0, pValue: 1, degreesOfFreedom: 0, yatesCorrectionApplied: false))
        // Categories with both counts 0 are dropped: same as the table without them.
        let withZero = ChiSquare.contingency(referenceCounts: [10, 0, 20], currentCounts: [30, 0, 40])
        #expect(withZero == ChiSquare.contingency(referenceCounts: [10, 20], currentCounts: [30, 40]))
        // Totals beyond Int.max must not trap.
        let huge = ChiSquare.contingency(referenceCounts: [.max, .max], currentCounts: [.max, 1])
        #expect(huge.statistic.isFinite && huge.pValue == 0)
        #expect(ChiSquare.goodnessOfFit(referenceCounts: [.max, .max], currentCounts: [.max, 1]).pValue == 0)
        #expect(TwoProportionZTest.pValue(referenceCounts: [.max, .max], currentCounts: [.max, 1]) == 0)
        for (ref, cur) in [([Int](), [Int]()), ([0, 0], [3, 4]), ([1, 2], [3]), ([1, -2], [3, 4])] {
            let r = ChiSquare.contingency(referenceCounts: ref, currentCounts: cur)
            #expect(r.statistic.isNaN && r.pValue.isNaN, "\(ref) \(cur)")
        }
    }

    @Test func goodnessOfFitMatchesEvidently() {
        let cases: [([Int], [Int], Double, Double, Int)] = [
            ([10, 20, 30], [12, 18, 30], 0.6000000000000001, 0.7408182206817179, 2),
            ([100, 50, 25, 25], [80, 60, 40, 20], 16.0, 0.0011339842897853216, 3),
            ([1500, 1000, 500], [1000, 1500, 500], 416.66666666666663, 3.3264648355050465e-91, 2),
        ]
        for (ref, cur, statistic, p, dof) in cases {
            let r = ChiSquare.goodnessOfFit(referenceCounts: ref, currentCounts: cur)
            #expect(isClose(r.statistic, statistic), "\(ref) \(cur)")
            #expect(isClose(r.pValue, p, relative: 1e-9), "\(ref) \(cur)")
            #expect(r.degreesOfFreedom == dof && !r.yatesCorrectionApplied)
        }
    }

    @Test func goodnessOfFitSpecialInput() {
        let newCategory = ChiSquare.goodnessOfFit(referenceCounts: [10, 0], currentCounts: [5, 5])
        #expect(newCategory.statistic == .infinity && newCategory.pValue == 0 && newCategory.degreesOfFreedom == 1)
        let single = ChiSquare.goodnessOfFit(referenceCounts: [100], currentCounts: [80])
        #expect(single.statistic == 0 && single.pValue.isNaN && single.degreesOfFreedom == 0)
        for (ref, cur) in [([Int](), [Int]()), ([0, 0], [3, 4]), ([3, 4], [0, 0]), ([1], [1, 2])] {
            let r = ChiSquare.goodnessOfFit(referenceCounts: ref, currentCounts: cur)
            #expect(r.statistic.isNaN && r.pValue.isNaN, "\(ref) \(cur)")
        }
    }

    @Test func twoProportionZTestMatchesEvidently() {
        let cases: [([Int], [Int], Double)] = [
            ([30, 70], [45, 55], 0.02845973691631065),
            ([500, 500], [520, 480], 0.37099767373660786),
            ([10, 0], [0, 10], 7.744216431015971e-06),
            ([3, 5, 2], [6, 2, 2], 0.17752985241215358),  // first category vs the rest
            ([900, 100], [100, 900], 0.0),  // Φ(|z|) rounds to 1: exactly 0, as in Evidently
            ([5000, 5000], [4000, 6000], 0.0),
        ]
        for (ref, cur, p) in cases {
            let value = TwoProportionZTest.pValue(referenceCounts: ref, currentCounts: cur)
            #expect(isClose(value, p, relative: 1e-9), "\(ref) \(cur): \(value)")
        }
        // z = 0 when the proportions agree.
        #expect(TwoProportionZTest.pValue(referenceCounts: [25, 75], currentCounts: [50, 150]) == 1)
    }

    @Test func twoProportionZTestSpecialInput() {
        #expect(TwoProportionZTest.pValue(referenceCounts: [10, 0], currentCounts: [7, 0]) == 1)
        #expect(TwoProportionZTest.pValue(referenceCounts: [0, 10], currentCounts: [0, 7]) == 1)
        #expect(TwoProportionZTest.pValue(referenceCounts: [4], currentCounts: [9]) == 1)
        #expect(TwoProportionZTest.pValue(referenceCounts: [], currentCounts: []).isNaN)
        #expect(TwoProportionZTest.pValue(referenceCounts: [0, 0], currentCounts: [1, 2]).isNaN)
        #expect(TwoProportionZTest.pValue(referenceCounts: [1, 2], currentCounts: [1]).isNaN)
    }
}
