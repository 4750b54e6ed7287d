import Foundation
import Testing

@testable import DriftStats

/// Two-sample Kolmogorov–Smirnov test and the Kolmogorov distributions against scipy 1.17.1
/// (`scipy.stats.ks_2samp`, `kstwo`, `kstwobign`): the golden corpus, hard-coded scipy values for
/// every branch of `kolmogn`, deterministic ks_2samp cases, and properties.
@Suite struct KolmogorovSmirnovTests {
    // MARK: golden corpus (DEFINITIONS.md §A)

    @Test func goldenCorpusHasDriftCases() {
        #expect(!GoldenCase.drift.isEmpty)
        #expect(GoldenCase.drift.contains { !$0.numericalColumns.isEmpty })
    }

    @Test(arguments: GoldenCase.drift)
    func goldenKS(_ goldenCase: GoldenCase) {
        for column in goldenCase.numericalColumns {
            let what = "\(goldenCase.id)/\(column)"
            let reference = SortedSample(sorting: goldenCase.numbers("reference.csv", column))
            let current = SortedSample(sorting: goldenCase.numbers("current.csv", column))
            let expected = goldenCase.column(column)["ks_2samp"] as? [String: Any] ?? [:]
            #expect(!expected.isEmpty, "\(what): no ks_2samp block")

            let auto = KolmogorovSmirnov.twoSample(reference, current)
            expectClose(auto.rawStatistic, goldenDouble(expected["statistic"]), relative: 1e-12, "\(what) statistic")
            #expect(auto.location == goldenDouble(expected["statistic_location"]), "\(what) statistic_location")
            #expect(auto.sign == (expected["statistic_sign"] as? Int), "\(what) statistic_sign")
            expectClose(
                auto.statistic, goldenDouble(golden(expected, "auto", "statistic")), relative: 1e-12,
                "\(what) auto.statistic")
            expectClose(
                auto.pValue, goldenDouble(golden(expected, "auto", "pvalue")), relative: 1e-9, "\(what) auto.pvalue")
            let resolved = golden(expected, "auto", "method_resolved") as? String
            #expect(resolved == (auto.method == .exact ? "exact" : "asymp"), "\(what) auto.method_resolved")

            // asymp.pvalue = kstwo.sf(D, round(n_r n_c/(n_r + n_c)))
            let n = KolmogorovSmirnov.asymptoticSampleSize(reference.count, current.count)
            let asympExpected = goldenDouble(golden(expected, "asymp", "pvalue"))
            expectClose(
                KolmogorovDistribution.oneSampleSurvival(auto.rawStatistic, n: n), asympExpected, relative: 1e-9,
                "\(what) asymp.pvalue via kstwo.sf")
            let asymptotic = KolmogorovSmirnov.twoSample(reference, current, method: .asymptotic)
            #expect(asymptotic.method == .asymptotic)
            expectClose(
                asymptotic.statistic, goldenDouble(golden(expected, "asymp", "statistic")), relative: 1e-12,
                "\(what) asymp.statistic")
            expectClose(asymptotic.pValue, asympExpected, relative: 1e-9, "\(what) asymp.pvalue")

            // limiting_kolmogorov_pvalue = kstwobign.sf(sqrt(n_e) D)
            let effectiveN = KolmogorovSmirnov.effectiveSampleSize(reference.count, current.count)
            expectClose(effectiveN, goldenDouble(expected["effective_n"]), relative: 1e-12, "\(what) effective_n")
            expectClose(
                KolmogorovDistribution.limitingSurvival(effectiveN.squareRoot() * auto.rawStatistic),
                goldenDouble(golden(expected, "limiting_kolmogorov_pvalue", "pvalue")), relative: 1e-9,
                "\(what) limiting_kolmogorov_pvalue")
        }
    }

    // MARK: distributions

    @Test func kstwoMatchesScipyOnEveryBranch() {
        for row in Self.kstwoTable {
            let what = "kstwo(d: \(row.d), n: \(row.n))"
            expectClose(
                KolmogorovDistribution.oneSampleSurvival(row.d, n: row.n), row.sf, relative: 1e-10, "\(what).sf")
            expectClose(KolmogorovDistribution.oneSampleCDF(row.d, n: row.n), row.cdf, relative: 1e-10, "\(what).cdf")
        }
    }

    @Test func kstwoOutsideTheDomain() {
        #expect(KolmogorovDistribution.oneSampleSurvival(0.3, n: 0).isNaN)
        #expect(KolmogorovDistribution.oneSampleSurvival(0.3, n: -4).isNaN)
        #expect(KolmogorovDistribution.oneSampleSurvival(.nan, n: 10).isNaN)
        #expect(KolmogorovDistribution.oneSampleCDF(0.3, n: 0).isNaN)
        #expect(KolmogorovDistribution.oneSampleSurvival(-1, n: 10) == 1)
        #expect(KolmogorovDistribution.oneSampleSurvival(.infinity, n: 10) == 0)
        #expect(KolmogorovDistribution.oneSampleCDF(-.infinity, n: 10) == 0)
        #expect(KolmogorovDistribution.oneSampleCDF(.infinity, n: 10) == 1)
    }

    @Test func kstwobignMatchesScipy() {
        for row in Self.kstwobignTable {
            expectClose(
                KolmogorovDistribution.limitingSurvival(row.x), row.sf, relative: 1e-12, "kstwobign.sf(\(row.x))")
        }
        #expect(KolmogorovDistribution.limitingSurvival(-1) == 1)
        #expect(KolmogorovDistribution.limitingSurvival(.infinity) == 0)
        #expect(KolmogorovDistribution.limitingSurvival(.nan).isNaN)
        // The small-x (theta function) form keeps the CDF accurate where 1 - sf would be 0;
        // kstwobign.cdf from scipy 1.17.1.
        expectClose(LimitingKolmogorov.cdf(0.05), 2.4231674791579003e-213, relative: 1e-12, "kstwobign.cdf(0.05)")
        expectClose(LimitingKolmogorov.cdf(0.1), 6.609305242245699e-53, relative: 1e-12, "kstwobign.cdf(0.1)")
        expectClose(LimitingKolmogorov.cdf(0.3), 9.305801334566636e-06, relative: 1e-12, "kstwobign.cdf(0.3)")
    }

    // MARK: exact two-sample p-value

    @Test func exactPathCountsMatchScipy() {
        // scipy.stats._stats_py._compute_prob_outside_square(n, h), from scipy 1.17.1
        for (n, h, p) in [
            (5, 1, 1.0000000000000002), (60, 2, 1.0000000000000002), (100, 7, 0.9684099261397212),
            (1000, 40, 0.4006338815832625), (3000, 241, 7.67861421295652e-09),
        ] {
            expectClose(KSTwoSampleExact.probabilityOutsideSquare(n: n, h: h), p, relative: 1e-14, "square(\(n), \(h))")
        }
        // scipy.stats._stats_py._compute_outer_prob_inside_method(m, n, gcd, h), from scipy 1.17.1
        for (m, n, h, p) in [
            (7, 5, 17, 0.3282828282828283), (30, 20, 23, 0.048040321074667734),
            (300, 450, 62, 0.34921214685493396), (2000, 1500, 326, 0.012271925858609511),
            (250, 5000, 449, 0.0405970247383999),
        ] {
            let g = KSTwoSampleExact.gcd(m, n)
            expectClose(
                KSTwoSampleExact.outerProbabilityInsideMethod(m: m, n: n, g: g, h: h), p, relative: 1e-14,
                "inside(\(m), \(n), \(h))")
            expectClose(
                KSTwoSampleExact.outerProbabilityInsideMethod(m: n, n: m, g: g, h: h), p, relative: 1e-14,
                "inside(\(n), \(m), \(h))")
        }
    }

    // MARK: deterministic ks_2samp cases

    /// Samples built from integer formulas, reproduced identically by the Python generator.
    static func formulaSamples(_ id: String) -> (SortedSample, SortedSample) {
        func make(_ n: Int, _ f: (Int) -> Double) -> SortedSample { SortedSample(sorting: (0..<n).map(f)) }
        switch id {
        case "A":  // continuous, unequal, both > 10000: auto is asymptotic
            return (
                make(12000) { Double(($0 * 7919) % 10007) / 1000.0 },
                make(15000) { Double(($0 * 6007) % 10009) / 1000.0 + 0.05 }
            )
        case "B":  // heavy ties, unequal sizes, exact
            return (make(300) { Double(($0 * 37) % 23) }, make(450) { Double(($0 * 53) % 29) * 0.75 })
        case "C":  // heavy ties, n > 10000, tiny p-value
            return (make(20000) { Double(($0 * 7) % 13) }, make(10500) { Double(($0 * 11) % 14) })
        case "D":  // n1 == n2, D = 2/60: the exact Horner sum is 1 + 2^-52, scipy falls back to asymp
            return (make(60) { Double($0) }, make(60) { Double($0 + 2) })
        case "E":  // unequal, exact, D rounded to h/lcm differs from the raw D
            return (
                make(2000) { Double(($0 * 7919) % 1009) / 100.0 },
                make(1500) { Double(($0 * 7919) % 1013) / 100.0 + 0.5 }
            )
        case "F":  // lcm(50000, 49999) > Int32.max: an explicit exact request becomes asymp
            return (make(50000) { Double($0 % 1000) }, make(49999) { Double(($0 * 3) % 1001) * 0.985 })
        default:  // "G": 1,000,000 rows each
            return (
                make(1_000_000) { Double(($0 * 7919) % 1_000_003) / 1000.0 },
                make(1_000_000) { Double(($0 * 104729) % 1_000_033) / 1000.0 + 1.5 }
            )
        }
    }

    // (case, requested method, statistic, raw statistic, p-value, resolved method, location, sign)
    // from scipy 1.17.1 ks_2samp (raw statistic = the method='asymp' statistic).
    static let formulaCases: [(String, KSMethod, Double, Double, Double, KSMethod, Double, Int)] = [
        ("A", .auto, 0.005333333333333301, 0.005333333333333301, 0.9909047453831628, .asymptotic, 8.334, 1),
        ("A", .exact, 0.005333333333333333, 0.005333333333333301, 0.9909177203511335, .exact, 8.334, 1),
        ("A", .asymptotic, 0.005333333333333301, 0.005333333333333301, 0.9909047453831628, .asymptotic, 8.334, 1),
        ("B", .auto, 0.06888888888888889, 0.06888888888888889, 0.34921214685493396, .exact, 18.75, -1),
        ("B", .asymptotic, 0.06888888888888889, 0.06888888888888889, 0.3443657844680096, .asymptotic, 18.75, -1),
        ("C", .auto, 0.0714285714285714, 0.0714285714285714, 5.435162274738191e-31, .asymptotic, 12.0, 1),
        ("C", .exact, 0.07142857142857142, 0.0714285714285714, 5.461700847558136e-31, .exact, 12.0, 1),
        ("D", .auto, 0.03333333333333333, 0.03333333333333344, 0.9999999999987117, .asymptotic, 45.0, 1),
        ("D", .exact, 0.03333333333333333, 0.03333333333333344, 0.9999999999987117, .asymptotic, 45.0, 1),
        ("D", .asymptotic, 0.03333333333333344, 0.03333333333333344, 0.9999999999987117, .asymptotic, 45.0, 1),
        ("E", .auto, 0.05433333333333333, 0.054333333333333345, 0.012271925858609511, .exact, 8.44, 1),
        ("E", .asymptotic, 0.054333333333333345, 0.054333333333333345, 0.012215704269689376, .asymptotic, 8.44, 1),
        ("F", .auto, 0.01443868877377541, 0.01443868877377541, 5.884191084765754e-05, .asymptotic, 919.99, -1),
        ("F", .exact, 0.01443868877377541, 0.01443868877377541, 5.884191084765754e-05, .asymptotic, 919.99, -1),
        ("G", .auto, 0.0015330000000000066, 0.0015330000000000066, 0.19036178595215525, .asymptotic, 964.491, 1),
    ]

    @Test(arguments: ["A", "B", "C", "D", "E", "F", "G"])
    func formulaCaseMatchesScipy(_ id: String) {
        let (reference, current) = Self.formulaSamples(id)
        for row in Self.formulaCases where row.0 == id {
            let what = "\(id) method=\(row.1)"
            let result = KolmogorovSmirnov.twoSample(reference, current, method: row.1)
            expectClose(result.statistic, row.2, relative: 1e-12, "\(what) statistic")
            expectClose(result.rawStatistic, row.3, relative: 1e-12, "\(what) raw statistic")
            expectClose(result.pValue, row.4, relative: 1e-9, "\(what) p-value")
            #expect(result.method == row.5, "\(what) resolved method")
            #expect(result.location == row.6, "\(what) location")
            #expect(result.sign == row.7, "\(what) sign")
        }
    }

    @Test func smallCasesMatchScipy() {
        // from scipy 1.17.1: ks_2samp(a, b) and ks_2samp(a, b, method='asymp')
        let a = SortedSample(sorting: [-.infinity, -0.0, 0.0, 1, 2, .infinity])
        let b = SortedSample(sorting: [0.0, 0.0, 3, .infinity])
        let exact = KolmogorovSmirnov.twoSample(a, b)
        expectClose(exact.statistic, 0.3333333333333333, relative: 1e-12, "inf/zeros statistic")
        expectClose(exact.pValue, 0.9238095238095237, relative: 1e-9, "inf/zeros p")
        #expect(exact.location == 2.0 && exact.sign == 1)
        let asymptotic = KolmogorovSmirnov.twoSample(a, b, method: .asymptotic)
        expectClose(asymptotic.statistic, 0.33333333333333337, relative: 1e-12, "inf/zeros asymp statistic")
        expectClose(asymptotic.pValue, 0.9444444444444444, relative: 1e-9, "inf/zeros asymp p")

        let one = KolmogorovSmirnov.twoSample(SortedSample(sorting: [1]), SortedSample(sorting: [2]))
        #expect(one.statistic == 1 && one.pValue == 1 && one.method == .exact && one.location == 1 && one.sign == 1)
        // n1 = n2 = 1: round(0.5) = 0 (half to even), kstwo.sf(D, 0) is NaN in scipy too.
        let oneAsymp = KolmogorovSmirnov.twoSample(
            SortedSample(sorting: [1]), SortedSample(sorting: [2]), method: .asymptotic)
        #expect(oneAsymp.pValue.isNaN && oneAsymp.statistic == 1)

        let negative = KolmogorovSmirnov.twoSample(SortedSample(sorting: [3, 1, 2]), SortedSample(sorting: [2, 2]))
        expectClose(negative.statistic, 0.3333333333333333, relative: 1e-12, "negative sign statistic")
        #expect(negative.pValue == 1 && negative.location == 2 && negative.sign == -1)
    }

    // MARK: properties

    /// Identical samples of several sizes, with every method.
    static func identicalSampleResults() -> [(String, KSResult)] {
        [2, 7, 100, 12000].flatMap { n in
            let sample = SortedSample(sorting: (0..<n).map { Double(($0 * 7919) % 101) / 7.0 })
            return KSMethod.allCases.map { ("n=\(n) \($0)", KolmogorovSmirnov.twoSample(sample, sample, method: $0)) }
        }
    }

    @Test func identicalSamplesGiveAZeroStatistic() {
        for (what, result) in Self.identicalSampleResults() {
            #expect(result.statistic == 0 && result.rawStatistic == 0, "\(what)")
            #expect(result.sign == 1, "\(what)")
        }
    }

    @Test func identicalSamplesGiveAPValueOfOne() {
        for (what, result) in Self.identicalSampleResults() {
            #expect(result.pValue == 1, "\(what)")
            #expect(result.method != .auto, "\(what)")
        }
    }

    @Test func swappingTheSamplesChangesNoResult() {
        let pairs: [([Double], [Double])] = [
            ((0..<30).map { Double(($0 * 13) % 17) }, (0..<20).map { Double(($0 * 7) % 19) }),
            ((0..<300).map { Double(($0 * 37) % 23) }, (0..<450).map { Double(($0 * 53) % 29) * 0.75 }),
            ((0..<500).map { sin(Double($0)) }, (0..<500).map { cos(Double($0) * 1.3) }),
            ((0..<11000).map { Double(($0 * 7919) % 10007) }, (0..<400).map { Double(($0 * 61) % 9001) }),
        ]
        for (x, y) in pairs {
            let a = SortedSample(sorting: x)
            let b = SortedSample(sorting: y)
            for method in KSMethod.allCases {
                let ab = KolmogorovSmirnov.twoSample(a, b, method: method)
                let ba = KolmogorovSmirnov.twoSample(b, a, method: method)
                let what = "n=(\(x.count), \(y.count)) \(method)"
                #expect(ab.statistic == ba.statistic, "\(what) statistic")
                #expect(ab.rawStatistic == ba.rawStatistic, "\(what) raw statistic")
                #expect(ab.pValue == ba.pValue, "\(what) p-value")
                #expect(ab.method == ba.method, "\(what) method")
            }
        }
    }

    @Test func rowOrderDoesNotMatter() {
        let x = (0..<700).map { Double(($0 * 7919) % 211) / 3.0 }
        let y = (0..<900).map { Double(($0 * 104729) % 223) / 3.1 }
        // A deterministic permutation (linear congruential shuffle).
        func shuffled(_ values: [Double]) -> [Double] {
            var v = values
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for i in stride(from: v.count - 1, to: 0, by: -1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                v.swapAt(i, Int(state >> 33) % (i + 1))
            }
            return v
        }
        let base = KolmogorovSmirnov.twoSample(SortedSample(sorting: x), SortedSample(sorting: y))
        for variant in [(shuffled(x), shuffled(y)), (Array(x.reversed()), Array(y.reversed())), (shuffled(x), y)] {
            let result = KolmogorovSmirnov.twoSample(SortedSample(sorting: variant.0), SortedSample(sorting: variant.1))
            #expect(result == base)
        }
    }

    @Test func emptySamplesGiveNaNWithoutCrashing() {
        let empty = SortedSample(sorting: [])
        let some = SortedSample(sorting: [1, 2, 3])
        for (a, b) in [(empty, some), (some, empty), (empty, empty)] {
            for method in KSMethod.allCases {
                let result = KolmogorovSmirnov.twoSample(a, b, method: method)
                #expect(result.statistic.isNaN && result.rawStatistic.isNaN && result.pValue.isNaN)
                #expect(result.location.isNaN && result.sign == 0 && result.method != .auto)
            }
        }
        let nanOnly = SortedSample(sorting: [.nan, .nan])
        #expect(KolmogorovSmirnov.twoSample(nanOnly, some).pValue.isNaN)
    }

    @Test func methodResolution() {
        #expect(KolmogorovSmirnov.resolve(.auto, n1: 10000, n2: 10000) == .exact)
        #expect(KolmogorovSmirnov.resolve(.auto, n1: 10001, n2: 3) == .asymptotic)
        #expect(KolmogorovSmirnov.resolve(.exact, n1: 50000, n2: 49999) == .asymptotic)
        #expect(KolmogorovSmirnov.resolve(.exact, n1: 1_000_000, n2: 1_000_000) == .exact)
        #expect(KolmogorovSmirnov.asymptoticSampleSize(1, 1) == 0)  // round(0.5) = 0, half to even
        #expect(KolmogorovSmirnov.asymptoticSampleSize(5, 7) == 3)
        #expect(KolmogorovSmirnov.asymptoticSampleSize(3, 1) == 1)  // round(0.75)
    }
}

// MARK: scipy reference tables

extension KolmogorovSmirnovTests {
    static let kstwoTable: [(d: Double, n: Int, sf: Double, cdf: Double)] = [
        (1e-09, 1, 1.0, 0.0),  // support lower end
        (0.5, 1, 1.0, 0.0),  // support lower end
        (0.8, 1, 0.3999999999999999, 0.6000000000000001),  // Ruben-Gambino n*d<=1 (product)
        (0.6, 1, 0.8, 0.19999999999999996),  // Ruben-Gambino n*d<=1 (product)
        (0.9, 1, 0.19999999999999996, 0.8),  // Ruben-Gambino n*d<=1 (product)
        (1.3, 1, 0.0, 1.0),  // support upper end
        (0.4, 1, 1.0, 0.0),  // support lower end
        (0.999999, 1, 2.0000000000575113e-06, 0.9999979999999999),  // Ruben-Gambino n*d<=1 (product)
        (1.0, 1, 0.0, 1.0),  // support upper end
        (1.2, 1, 0.0, 1.0),  // support upper end
        (1e-09, 2, 1.0, 0.0),  // support lower end
        (0.25, 2, 1.0, 0.0),  // support lower end
        (0.4, 2, 0.82, 0.18000000000000005),  // Ruben-Gambino n*d<=1 (product)
        (0.85, 2, 0.04500000000000001, 0.955),  // Ruben-Gambino n*d>=n-1
        (0.42426406871192845, 2, 0.7570562748477142, 0.24294372515228577),  // Ruben-Gambino n*d<=1 (product)
        (0.6363961030678927, 2, 0.26441558772842894, 0.7355844122715711),  // Ruben-Gambino n*d>=n-1
        (0.9192388155425117, 2, 0.013044737829952885, 0.9869552621700471),  // Ruben-Gambino n*d>=n-1
        (1.131370849898476, 2, 0.0, 1.0),  // support upper end
        (0.6, 2, 0.32000000000000006, 0.6799999999999999),  // Ruben-Gambino n*d>=n-1
        (0.7, 2, 0.18000000000000005, 0.82),  // Ruben-Gambino n*d>=n-1
        (0.999999, 2, 2.0000000001150225e-12, 0.999999999998),  // Ruben-Gambino n*d>=n-1
        (1.0, 2, 0.0, 1.0),  // support upper end
        (1.2, 2, 0.0, 1.0),  // support upper end
        (1e-09, 5, 1.0, 0.0),  // support lower end
        (0.1, 5, 1.0, 0.0),  // support lower end
        (0.16, 5, 0.997014016, 0.0029859840000000027),  // Ruben-Gambino n*d<=1 (product)
        (0.33999999999999997, 5, 0.5072604160000003, 0.49273958399999973),  // n<=140 Durbin matrix
        (0.2683281572999747, 5, 0.7836692682117719, 0.2163307317882281),  // n<=140 Durbin matrix
        (0.40249223594996214, 5, 0.3023001977971165, 0.6976998022028835),  // n<=140 Pomeranz
        (0.5813776741499453, 5, 0.0390672239448251, 0.9609327760551749),  // 2*smirnov (d>=1/2)
        (0.7155417527999327, 5, 0.004089054214687797, 0.9959109457853123),  // 2*smirnov (d>=1/2)
        (1.3416407864998738, 5, 0.0, 1.0),  // support upper end
        (0.6, 5, 0.03008000000000001, 0.96992),  // 2*smirnov (d>=1/2)
        (0.88, 5, 4.976639999999999e-05, 0.9999502336),  // Ruben-Gambino n*d>=n-1
        (0.999999, 5, 2.0000000002875568e-30, 1.0),  // Ruben-Gambino n*d>=n-1
        (1.0, 5, 0.0, 1.0),  // support upper end
        (1.2, 5, 0.0, 1.0),  // support upper end
        (1e-09, 50, 1.0, 0.0),  // support lower end
        (0.01, 50, 1.0, 0.0),  // support lower end
        (0.016, 50, 1.0, 2.767815740705957e-32),  // Ruben-Gambino n*d<=1 (product)
        (0.034, 50, 0.9999998988573199, 1.0114268017016123e-07),  // n<=140 Durbin matrix
        (0.0848528137423857, 50, 0.8344437791960821, 0.16555622080391783),  // n<=140 Durbin matrix
        (0.12727922061357855, 50, 0.36196339889491846, 0.6380366011050815),  // n<=140 Pomeranz
        (0.18384776310850234, 50, 0.059546079313210765, 0.9404539206867892),  // n<=140 Pomeranz
        (0.2262741699796952, 50, 0.009889675201623538, 0.9901103247983765),  // n<=140 Pomeranz
        (0.4242640687119285, 50, 1.1111031760225101e-08, 0.9999999888889682),  // n<=140 2*smirnov
        (0.6, 50, 9.634070456142374e-18, 1.0),  // 2*smirnov (d>=1/2)
        (0.988, 50, 1.8200876300005108e-96, 1.0),  // Ruben-Gambino n*d>=n-1
        (0.999999, 50, 2.0000000028755666e-300, 1.0),  // Ruben-Gambino n*d>=n-1
        (1.0, 50, 0.0, 1.0),  // support upper end
        (1.2, 50, 0.0, 1.0),  // support upper end
        (1e-09, 140, 1.0, 0.0),  // support lower end
        (0.0035714285714285713, 140, 1.0, 0.0),  // support lower end
        (0.005714285714285714, 140, 1.0, 4.0960009382894166e-91),  // Ruben-Gambino n*d<=1 (product)
        (0.012142857142857143, 140, 1.0, 7.337835333728558e-22),  // n<=140 Durbin matrix
        (0.050709255283710994, 140, 0.8461062544735598, 0.15389374552644022),  // n<=140 Durbin matrix
        (0.0760638829255665, 140, 0.3739412539902938, 0.6260587460097061),  // n<=140 Pomeranz
        (0.10987005311470716, 140, 0.06303472003210353, 0.9369652799678965),  // n<=140 Pomeranz
        (0.13522468075656266, 140, 0.01077801009055065, 0.9892219899094493),  // n<=140 Pomeranz
        (0.253546276418555, 140, 2.0234371565524952e-08, 0.9999999797656285),  // n<=140 2*smirnov
        (0.6, 140, 1.0052268370224967e-48, 1.0),  // 2*smirnov (d>=1/2)
        (0.9957142857142857, 140, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (0.999999, 140, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (1.0, 140, 0.0, 1.0),  // support upper end
        (1.2, 140, 0.0, 1.0),  // support upper end
        (1e-09, 141, 1.0, 0.0),  // support lower end
        (0.0035460992907801418, 141, 1.0, 0.0),  // support lower end
        (0.005673758865248227, 141, 1.0, 9.073200771482935e-92),  // Ruben-Gambino n*d<=1 (Stirling)
        (0.012056737588652482, 141, 1.0, 5.099511239948256e-22),  // Durbin matrix
        (0.050529115263991134, 141, 0.846171510746462, 0.15382848925353804),  // Pelz-Good
        (0.07579367289598671, 141, 0.37400402448477066, 0.6259959755152293),  // Pelz-Good
        (0.10947974973864748, 141, 0.06305333984860362, 0.9369466601513964),  // Pelz-Good
        (0.13474430737064305, 141, 0.010782502579705781, 0.9892171009009552),  // sf: 2*smirnov / Pelz-Good
        (0.2526455763199557, 141, 2.0282471365668938e-08, 0.9999999801130602),  // sf: 2*smirnov / Pelz-Good
        (0.6, 141, 4.550154415759682e-49, 1.0),  // 2*smirnov (d>=1/2)
        (0.9957446808510638, 141, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (0.999999, 141, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (1.0, 141, 0.0, 1.0),  // support upper end
        (1.2, 141, 0.0, 1.0),  // support upper end
        (1e-09, 1000, 1.0, 0.0),  // support lower end
        (0.0005, 1000, 1.0, 0.0),  // support lower end
        (0.0008, 1000, 1.0, 0.0),  // Ruben-Gambino n*d<=1 (Stirling)
        (0.0017, 1000, 1.0, 1.124097825502281e-158),  // Durbin matrix
        (0.018973665961010275, 1000, 0.8573684410456419, 0.14263155895435814),  // Pelz-Good
        (0.028460498941515415, 1000, 0.3855493148732465, 0.6144506851267535),  // Pelz-Good
        (0.041109609582188934, 1000, 0.06621653964577401, 0.933783460354226),  // Pelz-Good
        (0.05059644256269407, 1000, 0.011534825282457833, 0.988465168551146),  // sf: 2*smirnov / Pelz-Good
        (0.09486832980505139, 1000, 2.7683606440184413e-08, 0.9999999723253278),  // sf: 2*smirnov / Pelz-Good
        (0.6, 1000, 0.0, 1.0),  // 2*smirnov (d>=1/2)
        (0.9994, 1000, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (0.999999, 1000, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (1.0, 1000, 0.0, 1.0),  // support upper end
        (1.2, 1000, 0.0, 1.0),  // support upper end
        (1e-09, 100000, 1.0, 0.0),  // support lower end
        (5e-06, 100000, 1.0, 0.0),  // support lower end
        (8e-06, 100000, 1.0, 0.0),  // Ruben-Gambino n*d<=1 (Stirling)
        (1.7e-05, 100000, 1.0, 0.0),  // Durbin matrix
        (0.0018973665961010274, 100000, 0.8635855357589762, 0.13641446424102374),  // Pelz-Good
        (0.0028460498941515412, 100000, 0.3920039771559741, 0.6079960228440259),  // Pelz-Good
        (0.0041109609582188926, 100000, 0.06790553067294702, 0.932094469327053),  // Pelz-Good
        (0.005059644256269407, 100000, 0.01191158659878191, 0.988088415915987),  // sf: 2*smirnov / Pelz-Good
        (0.009486832980505138, 100000, 3.02582317155749e-08, 0.999999969741769),  // sf: 2*smirnov / Pelz-Good
        (0.6, 100000, 0.0, 1.0),  // 2*smirnov (d>=1/2)
        (0.999994, 100000, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (0.999999, 100000, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (1.0, 100000, 0.0, 1.0),  // support upper end
        (1.2, 100000, 0.0, 1.0),  // support upper end
        (1e-09, 1000000, 1.0, 0.0),  // support lower end
        (5e-07, 1000000, 1.0, 0.0),  // support lower end
        (8.000000000000001e-07, 1000000, 1.0, 0.0),  // Ruben-Gambino n*d<=1 (Stirling)
        (1.7e-06, 1000000, 1.0, 0.0),  // Pelz-Good
        (0.0006, 1000000, 0.8640621548370526, 0.13593784516294738),  // Pelz-Good
        (0.0009, 1000000, 0.39250068453988984, 0.6074993154601102),  // Pelz-Good
        (0.0013, 1000000, 0.06803320588112582, 0.9319667941188742),  // Pelz-Good
        (0.003, 1000000, 3.039812751939269e-08, 0.9999999696018722),  // sf: 2*smirnov / Pelz-Good
        (0.6, 1000000, 0.0, 1.0),  // 2*smirnov (d>=1/2)
        (0.9999994, 1000000, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (0.999999, 1000000, 0.0, 1.0),  // Ruben-Gambino n*d>=n-1
        (1.0, 1000000, 0.0, 1.0),  // support upper end
        (1.2, 1000000, 0.0, 1.0),  // support upper end
        (0.05, 100, 0.9532159710635725, 0.0467840289364275),  // n<=140 Durbin matrix
        (0.15, 100, 0.019839242125643017, 0.980160757874357),  // n<=140 Pomeranz
        (0.25, 100, 5.408871776434847e-06, 0.9999945911282235),  // n<=140 2*smirnov
        (0.02, 5000, 0.03613941395325637, 0.9638605860467436),  // Pelz-Good
        (0.03, 5000, 0.00024159234422666817, 0.9997584077020353),  // sf: 2*smirnov / Pelz-Good
        (0.025, 10000, 7.319405460271144e-06, 0.9999926805978941),  // sf: 2*smirnov / Pelz-Good
        (0.0025, 200000, 0.16380630168585164, 0.8361936983141484),  // Pelz-Good
        (0.06, 1000, 0.001428597887952891, 0.998571401884381),  // sf: 2*smirnov / Pelz-Good
        (0.7, 1000, 0.0, 1.0),  // 2*smirnov (d>=1/2)
        (0.62, 1000, 0.0, 1.0),  // 2*smirnov (d>=1/2)
        (0.2, 1000, 1.5528629204250538e-35, 1.0),  // sf: 2*smirnov / cdf: n*d^2>=18 -> 1
        (0.0012, 10000000, 6.20871148406159e-13, 0.9999999999993788),  // sf: smirnov n>10^6 approx. / Pelz-Good
        (0.0006, 10000000, 0.0014925744592523813, 0.9985074261540489),  // sf: smirnov n>10^6 approx. / Pelz-Good
        (0.45, 2000, 0.0, 1.0),  // sf: n*d^2>=370 -> 0 / cdf: n*d^2>=18 -> 1
        (0.045, 141, 0.925251190599722, 0.07474880940027798),  // Durbin matrix
        (0.04, 300, 0.707622630666962, 0.29237736933303804),  // Pelz-Good
        (0.012, 1000, 0.9984464668620097, 0.0015535331379903396),  // Durbin matrix
        (0.0005, 100000, 1.0, 8.09325953175999e-21),  // Durbin matrix
    ]

    // (x, kstwobign.sf(x)) from scipy 1.17.1
    static let kstwobignTable: [(x: Double, sf: Double)] = [
        (0.0, 1.0), (0.03, 1.0), (0.05, 1.0), (0.1, 1.0), (0.5, 0.9639452436648751),
        (0.82, 0.5119717052984973), (0.8200000001, 0.511971705139612), (1.0, 0.26999967167735456),
        (1.3581, 0.0499996304316674), (2.0, 0.0006709252557796953), (5.0, 3.8574996959278356e-22), (30.0, 0.0),
    ]
}
