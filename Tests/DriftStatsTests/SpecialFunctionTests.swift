import Foundation
import Testing

@testable import DriftStats

/// Reference values computed with scipy 1.17.1 (`scipy.stats.chi2.sf`, `scipy.special.gammainc`,
/// `gammaincc`, `scipy.stats.norm.cdf` / `.sf`) unless a comment says otherwise.
@Suite struct SpecialFunctionTests {
    /// (dof, X², scipy.stats.chi2.sf(X², dof)) — scipy 1.17.1; dof 1…1000, X² 1e-8…5000, values down to
    /// 5e-311 and the exact zeros scipy returns when the tail's prefactor underflows.
    static let chiSquaredSurvival: [(Int, Double, Double)] = [
        (1, 1e-08, 0.9999202115440526),
        (1, 0.0001, 0.9920212873707368),
        (1, 0.5, 0.47950012218695337),
        (1, 1.0, 0.31731050786291115),
        (1, 2.0, 0.15729920705028105),
        (1, 5.0, 0.025347318677468325),
        (1, 10.0, 0.001565402258002549),
        (1, 20.0, 7.744216431044088e-06),
        (1, 50.0, 1.537459794428033e-12),
        (1, 100.0, 1.5239706048320995e-23),
        (1, 200.0, 2.0884875837625688e-45),
        (1, 500.0, 9.505397766554137e-111),
        (1, 1000.0, 1.7958327848007363e-219),
        (1, 1500.0, 0.0),
        (1, 2000.0, 0.0),
        (1, 3000.0, 0.0),
        (1, 5000.0, 0.0),
        (1, 0.9, 0.34278171114790873),
        (1, 1.0, 0.31731050786291115),
        (1, 1.1, 0.2942661043049598),
        (2, 1e-08, 0.999999995),
        (2, 0.0001, 0.9999500012499791),
        (2, 0.5, 0.7788007830714049),
        (2, 1.0, 0.6065306597126334),
        (2, 2.0, 0.36787944117144245),
        (2, 5.0, 0.0820849986238988),
        (2, 10.0, 0.006737946999085468),
        (2, 20.0, 4.539992976248486e-05),
        (2, 50.0, 1.3887943864964e-11),
        (2, 100.0, 1.9287498479639183e-22),
        (2, 200.0, 3.7200759760208177e-44),
        (2, 500.0, 2.6691902155412655e-109),
        (2, 1000.0, 7.124576406741474e-218),
        (2, 1500.0, 0.0),
        (2, 2000.0, 0.0),
        (2, 3000.0, 0.0),
        (2, 5000.0, 0.0),
        (2, 1.8, 0.4065696597405992),
        (2, 2.0, 0.36787944117144245),
        (2, 2.2, 0.33287108369807955),
        (3, 1e-08, 0.999999999999734),
        (3, 0.0001, 0.9999997340464585),
        (3, 0.5, 0.9188914116546758),
        (3, 1.0, 0.8012519569012009),
        (3, 2.0, 0.5724067044708798),
        (3, 5.0, 0.1717971442967335),
        (3, 10.0, 0.01856613546304325),
        (3, 20.0, 0.00016974243555282632),
        (3, 50.0, 7.989179244951495e-11),
        (3, 100.0, 1.5541594313896026e-21),
        (3, 200.0, 4.218541107192018e-43),
        (3, 500.0, 4.771672031912771e-108),
        (3, 1000.0, 1.7994208765314067e-216),
        (3, 1500.0, 0.0),
        (3, 2000.0, 0.0),
        (3, 3000.0, 0.0),
        (3, 5000.0, 0.0),
        (3, 2.7, 0.4402272943602312),
        (3, 3.0, 0.3916251762710877),
        (3, 3.3000000000000003, 0.3476426447322741),
        (5, 1e-08, 1.0),
        (5, 0.0001, 0.9999999999946809),
        (5, 0.5, 0.9921232932326296),
        (5, 1.0, 0.9625657732472964),
        (5, 2.0, 0.8491450360846096),
        (5, 5.0, 0.4158801869955079),
        (5, 10.0, 0.07523524614651217),
        (5, 20.0, 0.0012497305630313773),
        (5, 50.0, 1.3857973367009573e-09),
        (5, 100.0, 5.285148360943219e-20),
        (5, 200.0, 2.8406228986415534e-41),
        (5, 500.0, 7.984661110562824e-106),
        (5, 1000.0, 6.0100776879208495e-214),
        (5, 1500.0, 0.0),
        (5, 2000.0, 0.0),
        (5, 3000.0, 0.0),
        (5, 5000.0, 0.0),
        (5, 4.5, 0.4798834381132997),
        (5, 5.0, 0.4158801869955079),
        (5, 5.5, 0.357945880850958),
        (10, 1e-08, 1.0),
        (10, 0.0001, 1.0),
        (10, 0.5, 0.999993388289439),
        (10, 1.0, 0.9998278843700441),
        (10, 2.0, 0.9963401531726563),
        (10, 5.0, 0.8911780189141513),
        (10, 10.0, 0.44049328506521257),
        (10, 20.0, 0.029252688076961124),
        (10, 50.0, 2.669083424904495e-07),
        (10, 100.0, 5.4497019829205215e-17),
        (10, 200.0, 1.6139305336977317e-37),
        (10, 500.0, 4.4147360999137545e-101),
        (10, 1000.0, 1.870290720915977e-208),
        (10, 1500.0, 0.0),
        (10, 2000.0, 0.0),
        (10, 3000.0, 0.0),
        (10, 5000.0, 0.0),
        (10, 9.0, 0.5321035763747151),
        (10, 10.0, 0.44049328506521257),
        (10, 11.0, 0.3575180024279255),
        (20, 1e-08, 1.0),
        (20, 0.0001, 1.0),
        (20, 0.5, 0.9999999999997906),
        (20, 1.0, 0.999999999829033),
        (20, 2.0, 0.9999998885745217),
        (20, 5.0, 0.9997226479053791),
        (20, 10.0, 0.9681719426937951),
        (20, 20.0, 0.4579297144718523),
        (20, 50.0, 0.0002214766382487835),
        (20, 100.0, 1.2596084591660847e-12),
        (20, 200.0, 1.1253473960842808e-31),
        (20, 500.0, 2.910266873027274e-93),
        (20, 1000.0, 3.9047966391213445e-199),
        (20, 1500.0, 3.9825649431766797e-306),
        (20, 2000.0, 0.0),
        (20, 3000.0, 0.0),
        (20, 5000.0, 0.0),
        (20, 18.0, 0.5874082443319417),
        (20, 20.0, 0.4579297144718523),
        (20, 22.0, 0.3405106424656608),
        (50, 1e-08, 1.0),
        (50, 0.0001, 1.0),
        (50, 0.5, 1.0),
        (50, 1.0, 1.0),
        (50, 2.0, 1.0),
        (50, 5.0, 1.0),
        (50, 10.0, 0.9999999998400414),
        (50, 20.0, 0.9999530506185732),
        (50, 50.0, 0.47339846855634937),
        (50, 100.0, 3.454931382984871e-05),
        (50, 200.0, 7.857610724654791e-20),
        (50, 500.0, 1.6899100006960955e-75),
        (50, 1000.0, 7.188706215514871e-177),
        (50, 1500.0, 3.1769336718753855e-281),
        (50, 2000.0, 0.0),
        (50, 3000.0, 0.0),
        (50, 5000.0, 0.0),
        (50, 45.0, 0.6737931127530087),
        (50, 50.0, 0.47339846855634937),
        (50, 55.00000000000001, 0.29101030065964784),
        (100, 1e-08, 1.0),
        (100, 0.0001, 1.0),
        (100, 0.5, 1.0),
        (100, 1.0, 1.0),
        (100, 2.0, 1.0),
        (100, 5.0, 1.0),
        (100, 10.0, 1.0),
        (100, 20.0, 1.0),
        (100, 50.0, 0.9999930466947524),
        (100, 100.0, 0.48119168452795674),
        (100, 200.0, 1.1784500720979781e-08),
        (100, 500.0, 1.720121005369523e-54),
        (100, 1000.0, 2.3060767380354624e-148),
        (100, 1500.0, 2.5254320288864825e-248),
        (100, 2000.0, 0.0),
        (100, 3000.0, 0.0),
        (100, 5000.0, 0.0),
        (100, 90.0, 0.7531979655998298),
        (100, 100.0, 0.48119168452795674),
        (100, 110.00000000000001, 0.23220478050085608),
        (200, 1e-08, 1.0),
        (200, 0.0001, 1.0),
        (200, 0.5, 1.0),
        (200, 1.0, 1.0),
        (200, 2.0, 1.0),
        (200, 5.0, 1.0),
        (200, 10.0, 1.0),
        (200, 20.0, 1.0),
        (200, 50.0, 1.0),
        (200, 100.0, 0.9999999996799934),
        (200, 200.0, 0.48670120172085135),
        (200, 500.0, 1.1737017704487241e-27),
        (200, 1000.0, 1.5008794119251172e-106),
        (200, 1500.0, 1.0036428290613717e-197),
        (200, 2000.0, 6.035827529631144e-294),
        (200, 3000.0, 0.0),
        (200, 5000.0, 0.0),
        (200, 180.0, 0.84177901081357),
        (200, 200.0, 0.48670120172085135),
        (200, 220.00000000000003, 0.1582786700600868),
        (500, 1e-08, 1.0),
        (500, 0.0001, 1.0),
        (500, 0.5, 1.0),
        (500, 1.0, 1.0),
        (500, 2.0, 1.0),
        (500, 5.0, 1.0),
        (500, 10.0, 1.0),
        (500, 20.0, 1.0),
        (500, 50.0, 1.0),
        (500, 100.0, 1.0),
        (500, 200.0, 1.0),
        (500, 500.0, 0.491589373031009),
        (500, 1000.0, 1.2085183611328796e-35),
        (500, 1500.0, 1.7082138295394291e-100),
        (500, 2000.0, 5.224452135049434e-178),
        (500, 3000.0, 0.0),
        (500, 5000.0, 0.0),
        (500, 450.0, 0.9469403127719419),
        (500, 500.0, 0.491589373031009),
        (500, 550.0, 0.06030438628545924),
        (1000, 1e-08, 1.0),
        (1000, 0.0001, 1.0),
        (1000, 0.5, 1.0),
        (1000, 1.0, 1.0),
        (1000, 2.0, 1.0),
        (1000, 5.0, 1.0),
        (1000, 10.0, 1.0),
        (1000, 20.0, 1.0),
        (1000, 50.0, 1.0),
        (1000, 100.0, 1.0),
        (1000, 200.0, 1.0),
        (1000, 500.0, 1.0),
        (1000, 1000.0, 0.49405285382923964),
        (1000, 1500.0, 1.0454640385980825e-22),
        (1000, 2000.0, 4.1436785914539184e-69),
        (1000, 3000.0, 1.6436845843568014e-198),
        (1000, 5000.0, 0.0),
        (1000, 900.0, 0.9892827619087102),
        (1000, 1000.0, 0.49405285382923964),
        (1000, 1100.0, 0.014614408126295192),
        (1, 1380.0, 4.661158455674e-302),
        (1, 1400.0, 2.1010145162644003e-306),
        (2, 1400.0, 9.85967654375939e-305),
        (15, 1500.0, Double(bitPattern: 0x0009_32b1_e7ee_d5)),  // 4.996652762861e-311 (subnormal)
        (7, 1450.0, Double(bitPattern: 0x0004_352a_be32_4408)),  // 5.85150403888148e-309 (subnormal)
        (999, 1468.7604166666665, 1.4979632574231936e-20),
    ]

    @Test func chiSquaredSurvivalMatchesScipy() {
        for (dof, x, expected) in Self.chiSquaredSurvival {
            let value = ChiSquaredDistribution.survival(x, dof)
            #expect(isClose(value, expected, relative: 1e-9), "chi2.sf(\(x), \(dof)): \(value) vs \(expected)")
        }
    }

    @Test func chiSquaredSurvivalIsAccurateToFarBelowTheTolerance() {
        // The implementation is much tighter than the 1e-9 contract: ≈ 1e-12 against scipy
        // (mpmath at 40 digits shows most of that is scipy's own error for dof ≈ 1000).
        var worst = 0.0
        for (dof, x, expected) in Self.chiSquaredSurvival where expected > 0 {
            worst = max(worst, abs(ChiSquaredDistribution.survival(x, dof) - expected) / expected)
        }
        #expect(worst < 1e-11, "worst relative error \(worst)")
    }

    @Test func chiSquaredCriticalValuesFromPublishedTable() {
        // Upper 5 % points of χ² (e.g. NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.4,
        // 3 decimals): the exact critical value must round to the tabulated one.
        let table: [(Int, Double)] = [
            (1, 3.841), (2, 5.991), (3, 7.815), (4, 9.488), (5, 11.070), (10, 18.307), (20, 31.410),
            (30, 43.773), (100, 124.342),
        ]
        for (dof, critical) in table {
            #expect(ChiSquaredDistribution.survival(critical - 0.0005, dof) > 0.05, "dof \(dof)")
            #expect(ChiSquaredDistribution.survival(critical + 0.0005, dof) < 0.05, "dof \(dof)")
        }
        // scipy 1.17.1 chi2.isf(0.05, dof) round-trips through the survival function.
        #expect(isClose(ChiSquaredDistribution.survival(3.8414588206941285, 1), 0.05, relative: 1e-12))
        #expect(isClose(ChiSquaredDistribution.survival(124.34211340400408, 100), 0.05, relative: 1e-12))
        // Exact closed forms: dof 2 → e^(−x/2); dof 1 → erfc(√(x/2)).
        #expect(isClose(ChiSquaredDistribution.survival(10, 2), exp(-5), relative: 1e-14))
        #expect(isClose(ChiSquaredDistribution.survival(7, 1), erfc((3.5).squareRoot()), relative: 1e-13))
    }

    @Test func chiSquaredCdf() {
        #expect(isClose(ChiSquaredDistribution.cdf(2.0, 4), 0.2642411176571153, relative: 1e-13))
        #expect(isClose(ChiSquaredDistribution.cdf(18.307038053275146, 10), 0.95, relative: 1e-13))
        #expect(ChiSquaredDistribution.cdf(0, 3) == 0 && ChiSquaredDistribution.cdf(-1, 3) == 0)
    }

    @Test func chiSquaredSpecialValues() {
        #expect(ChiSquaredDistribution.survival(0, 5) == 1)
        #expect(ChiSquaredDistribution.survival(-3, 5) == 1)
        #expect(ChiSquaredDistribution.survival(.infinity, 5) == 0)
        #expect(ChiSquaredDistribution.survival(.nan, 5).isNaN)
        #expect(ChiSquaredDistribution.survival(3, 0).isNaN)
        #expect(ChiSquaredDistribution.survival(3, -1).isNaN)
        #expect(ChiSquaredDistribution.survival(3, .nan).isNaN)
        #expect(ChiSquaredDistribution.survival(1e-300, 1) == 1)  // 1 − 8e-151 rounds to 1
    }

    @Test func incompleteGammaMatchesScipy() {
        // (a, x, gammainc(a, x), gammaincc(a, x)) — scipy 1.17.1; non-half-integer a, including a < 0.5.
        let cases: [(Double, Double, Double, Double)] = [
            (0.1, 0.05, 0.7755386354510307, 0.22446136454896942),
            (0.3, 2.0, 0.977974019172853, 0.022025980827146997),
            (2.7, 1.5, 0.2523342050354019, 0.7476657949645982),
            (12.3, 30.0, 0.9999139354747025, 8.606452529743476e-05),
            (150.5, 150.0, 0.49456696596129157, 0.5054330340387084),
            (499.5, 600.0, 0.9999888706495518, 1.112935044825893e-05),
            (2000.0, 2100.0, 0.9863525323166297, 0.013647467683370367),
            (3.0, 1e-10, 1.6666666665416645e-31, 1.0),
        ]
        for (a, x, p, q) in cases {
            #expect(isClose(IncompleteGamma.regularizedLower(a, x), p, relative: 1e-12), "P(\(a), \(x))")
            #expect(isClose(IncompleteGamma.regularizedUpper(a, x), q, relative: 1e-12), "Q(\(a), \(x))")
        }
    }

    @Test func incompleteGammaSpecialValues() {
        #expect(IncompleteGamma.regularizedLower(2, 0) == 0 && IncompleteGamma.regularizedUpper(2, 0) == 1)
        #expect(IncompleteGamma.regularizedLower(2, .infinity) == 1)
        #expect(IncompleteGamma.regularizedUpper(2, .infinity) == 0)
        #expect(IncompleteGamma.regularizedLower(.infinity, 5) == 0)
        for (a, x) in [(0.0, 1.0), (-1.0, 1.0), (1.0, -1.0), (.nan, 1.0), (1.0, .nan)] {
            #expect(IncompleteGamma.regularizedLower(a, x).isNaN, "P(\(a), \(x))")
            #expect(IncompleteGamma.regularizedUpper(a, x).isNaN, "Q(\(a), \(x))")
        }
        // Exponential distribution: Q(1, x) = e^(−x), also deep in the tail.
        #expect(isClose(IncompleteGamma.regularizedUpper(1, 700), exp(-700), relative: 1e-13))
        // P + Q = 1 across the series / continued-fraction switch at x = a + 1.
        for x in [10.99, 11.0, 11.01] {
            let sum = IncompleteGamma.regularizedLower(10, x) + IncompleteGamma.regularizedUpper(10, x)
            #expect(abs(sum - 1) < 1e-15)
        }
    }

    @Test func normalDistributionMatchesScipy() {
        // (x, norm.cdf(x), norm.sf(x)) — scipy 1.17.1. scipy keeps the rounding error of x/√2 in its
        // erfc argument (up to 6e-14 relative at x = −30 against mpmath), which we correct, hence 1e-12.
        // Below x ≈ −37.68 scipy (cephes erfc) returns 0, and so do we.
        let cases: [(Double, Double, Double)] = [
            (-38.0, 0.0, 1.0),
            (-37.5, 4.605353009581954e-308, 1.0),
            (-30.0, 4.906713927147908e-198, 1.0),
            (-20.0, 2.7536241186061556e-89, 1.0),
            (-10.0, 7.61985302416047e-24, 1.0),
            (-8.0, 6.22096057427174e-16, 0.9999999999999993),
            (-5.0, 2.866515718791933e-07, 0.9999997133484281),
            (-3.0, 0.0013498980316300933, 0.9986501019683699),
            (-1.96, 0.024997895148220435, 0.9750021048517795),
            (-1.0, 0.15865525393145707, 0.8413447460685429),
            (-0.5, 0.3085375387259869, 0.6914624612740131),
            (0.0, 0.5, 0.5),
            (0.3, 0.6179114221889526, 0.3820885778110474),
            (1.0, 0.8413447460685429, 0.15865525393145707),
            (1.645, 0.9500150944608786, 0.049984905539121376),
            (1.96, 0.9750021048517795, 0.024997895148220435),
            (2.576, 0.995002467684265, 0.0049975323157350135),
            (5.0, 0.9999997133484281, 2.866515718791933e-07),
            (8.0, 0.9999999999999993, 6.22096057427174e-16),
            (10.0, 1.0, 7.61985302416047e-24),
            (20.0, 1.0, 2.7536241186061556e-89),
            (38.0, 1.0, 0.0),
        ]
        for (x, cdf, sf) in cases {
            #expect(isClose(NormalDistribution.cdf(x), cdf, relative: 1e-12), "cdf(\(x))")
            #expect(isClose(NormalDistribution.survival(x), sf, relative: 1e-12), "sf(\(x))")
        }
    }

    @Test func normalDistributionTailsAreCorrectlyRounded() {
        // (x, Φ(x), 1 − Φ(x)) from mpmath 1.3 `ncdf` at 50 digits: ≈ 1 ulp everywhere, including 1e-308 tails.
        let cases: [(Double, Double, Double)] = [
            (-37.5, 4.605353009581955e-308, 1.0), (-37.0, 5.725571222524577e-300, 1.0),
            (-30.0, 4.906713927148187e-198, 1.0), (-20.0, 2.7536241186062337e-89, 1.0),
            (-10.0, 7.619853024160525e-24, 1.0), (-8.0, 6.220960574271784e-16, 0.9999999999999993),
            (-5.0, 2.866515718791939e-07, 0.9999997133484281), (-3.0, 0.0013498980316300946, 0.9986501019683699),
            (-1.2, 0.11506967022170828, 0.8849303297782917), (-1.0, 0.15865525393145705, 0.8413447460685429),
            (-0.5, 0.3085375387259869, 0.6914624612740131), (0.3, 0.6179114221889527, 0.3820885778110474),
            (3.0, 0.9986501019683699, 0.0013498980316300946), (20.0, 1.0, 2.7536241186062337e-89),
            (37.0, 1.0, 5.725571222524577e-300),
        ]
        for (x, cdf, sf) in cases {
            #expect(isClose(NormalDistribution.cdf(x), cdf, relative: 1e-15), "cdf(\(x))")
            #expect(isClose(NormalDistribution.survival(x), sf, relative: 1e-15), "sf(\(x))")
        }
    }

    @Test func normalDistributionPublishedValues() {
        // Standard normal table (4 decimals): Φ(1.645) ≈ 0.9500, Φ(1.96) ≈ 0.9750, Φ(2.576) ≈ 0.9950,
        // Φ(1) ≈ 0.8413; and Φ(−x) = 1 − Φ(x).
        for (x, table) in [(1.645, 0.9500), (1.96, 0.9750), (2.576, 0.9950), (1.0, 0.8413)] {
            #expect(abs(NormalDistribution.cdf(x) - table) < 5e-5, "Φ(\(x))")
            #expect(abs(NormalDistribution.cdf(-x) - (1 - NormalDistribution.cdf(x))) < 1e-15)
        }
        #expect(isClose(NormalDistribution.twoSidedPValue(1.96), 0.04999579029644087, relative: 1e-14))
        #expect(NormalDistribution.twoSidedPValue(-1.96) == NormalDistribution.twoSidedPValue(1.96))
        #expect(NormalDistribution.cdf(.nan).isNaN && NormalDistribution.survival(.nan).isNaN)
        #expect(NormalDistribution.cdf(-.infinity) == 0 && NormalDistribution.cdf(.infinity) == 1)
    }

    @Test func logGammaMatchesPython() {
        // Python 3.11 math.lgamma.
        #expect(isClose(LogGamma.value(0.5), 0.5723649429247004, relative: 1e-15))
        #expect(LogGamma.value(1) == 0)
        #expect(isClose(LogGamma.value(100.5), 361.4355404677776, relative: 1e-15))
        #expect(LogGamma.value(0) == .infinity)
    }

    @Test func theStirlingRemainderMatchesMpmath() {
        // mpmath 1.3 at 50 digits.
        let remainders: [(Double, Double)] = [
            (0.5, 0.15342640972002736), (3.0, 0.02767792568499834), (10.0, 0.00833056343336287),
            (25.0, 0.003333155636728093), (1000.0, 8.333333055555635e-05),
        ]
        for (a, mu) in remainders {
            #expect(isClose(LogGamma.stirlingRemainder(a), mu, relative: 1e-13), "μ(\(a))")
        }
        #expect(LogGamma.stirlingRemainder(0).isNaN)
    }

    @Test func log1pMinusX() {
        // mpmath 1.3 at 50 digits.
        let cases: [(Double, Double)] = [
            (1e-10, -4.999999999666667e-21), (1e-05, -4.9999666669166655e-11), (-0.3, -0.056674943938732375),
            (0.25, -0.026856448685790246), (0.9, -0.2581461138276052), (-0.6, -0.316290731874155),
            (3.0, -1.6137056388801094),
        ]
        for (t, expected) in cases {
            #expect(isClose(Log1pMinusX.value(t), expected, relative: 1e-14), "t = \(t)")
        }
        #expect(Log1pMinusX.value(0) == 0)
    }
}
