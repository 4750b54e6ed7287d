import DriftStats
import Testing

@testable import DriftCore

@Suite struct ProfileTests {
    static func sample(_ n: Int, seed: UInt64, shift: Double = 0, ties: Bool = false) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            let v = rng.nextGaussian() + shift
            return ties ? (v * 4).rounded() / 4 : v
        }
    }

    @Test(arguments: [false, true])
    func quantileBinsFromTheGridAreExact(ties: Bool) throws {
        let reference = SortedSample(sorting: Self.sample(50_000, seed: 1, ties: ties))
        let grid = QuantileGrid(reference: reference)
        let coarse = QuantileBinning.cutPoints(reference: reference, bins: 10)
        #expect(Set(coarse).isSubset(of: Set(grid.cutPoints)))
        var profile = NumericProfile(exactLimit: 1000)
        let current = Self.sample(30_000, seed: 2, shift: 0.3, ties: ties)
        for v in current { profile.add(v, grid: grid) }
        #expect(!profile.isExact)
        let fromGrid = try #require(grid.coarseCounts(profile.fineCounts(grid: grid), bins: 10, reference: reference))
        #expect(fromGrid.cutPoints == coarse)
        #expect(fromGrid.counts == QuantileBinning.counts(SortedSample(sorting: current), cutPoints: coarse))
    }

    @Test func mergingInAnyOrderEqualsOneProfileOfEverything() {
        let reference = SortedSample(sorting: Self.sample(20_000, seed: 3))
        let grid = QuantileGrid(reference: reference, resolution: 500)
        let all = Self.sample(12_000, seed: 4, shift: -0.2) + [.nan, .infinity, .nan]
        var whole = NumericProfile(exactLimit: 5000)
        for v in all { whole.add(v, grid: grid) }
        let parts = stride(from: 0, to: all.count, by: 1700).map { Array(all[$0..<min($0 + 1700, all.count)]) }
        var forward = NumericProfile(exactLimit: 5000)
        var backward = NumericProfile(exactLimit: 5000)
        let profiles = parts.map { part -> NumericProfile in
            var p = NumericProfile(exactLimit: 5000)
            for v in part { p.add(v, grid: grid) }
            return p
        }
        for p in profiles { forward.merge(p, grid: grid) }
        for p in profiles.reversed() { backward.merge(p, grid: grid) }
        for merged in [forward, backward] {
            #expect(merged.count == whole.count)
            #expect(merged.missing == 2)
            #expect(merged.nonFinite == 1)
            #expect(merged.fineCounts(grid: grid) == whole.fineCounts(grid: grid))
        }
    }

    @Test func smallWindowsStayExact() {
        let reference = SortedSample(sorting: Self.sample(5_000, seed: 5))
        let grid = QuantileGrid(reference: reference)
        var a = NumericProfile(exactLimit: 100)
        var b = NumericProfile(exactLimit: 100)
        for v in Self.sample(40, seed: 6) { a.add(v, grid: grid) }
        for v in Self.sample(50, seed: 7) { b.add(v, grid: grid) }
        a.merge(b, grid: grid)
        #expect(a.isExact)
        #expect(a.values?.count == 90)
        a.merge(b, grid: grid)
        #expect(!a.isExact)
        #expect(a.count == 140)
        #expect(a.fineCounts(grid: grid).reduce(0, +) == 140)
    }

    @Test func gridKSIsALowerBoundWithinTheStatedError() {
        let referenceValues = Self.sample(40_000, seed: 8)
        let currentValues = Self.sample(25_000, seed: 9, shift: 0.05)
        let reference = SortedSample(sorting: referenceValues)
        let current = SortedSample(sorting: currentValues)
        let grid = QuantileGrid(reference: reference)
        var r = NumericProfile(exactLimit: 0)
        var c = NumericProfile(exactLimit: 0)
        for v in referenceValues { r.add(v, grid: grid) }
        for v in currentValues { c.add(v, grid: grid) }
        let rc = r.fineCounts(grid: grid)
        let cc = c.fineCounts(grid: grid)
        let approximate = QuantileGrid.ksStatistic(referenceCounts: rc, currentCounts: cc)
        let exact = KolmogorovSmirnov.twoSample(reference, current).rawStatistic
        let bound =
            Double(rc.max() ?? 0) / Double(reference.count) + Double(cc.max() ?? 0) / Double(current.count)
        #expect(approximate <= exact + 1e-15)
        #expect(exact - approximate <= bound, "exact \(exact), grid \(approximate), bound \(bound)")
    }

    @Test func categoricalProfilesMerge() {
        var a = CategoricalProfile()
        var b = CategoricalProfile()
        for v in ["x", "y", nil, "x"] { a.add(v) }
        for v in ["y", "z", nil] { b.add(v) }
        a.merge(b)
        #expect(a.counts == ["x": 2, "y": 2, "z": 1])
        #expect(a.missing == 2)
        #expect(a.count == 5)
    }
}
