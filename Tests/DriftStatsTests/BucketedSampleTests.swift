import Foundation
import Testing

@testable import DriftStats

/// `BucketedSample` must answer exactly as the fully sorted sample does: KS statistic and p-value bit for
/// bit, location and sign, quantile cut points and bin counts, order statistics and ECDF counts (a zero's
/// sign aside where a comparison sort leaves -0.0 and +0.0 in either order). Checked on
/// seeded samples of many shapes (ties, identical samples, shifted, heavy tails and outliers beyond the
/// grid, signed zeros, NaN and ±inf) and grid sizes from one bucket up.
@Suite struct BucketedSampleTests {
    enum Shape: CaseIterable {
        case normal, shifted, integers, identical, heavyTail, signedZeros, withNonFinite, tiny, constant
    }

    static func samples(_ shape: Shape, seed: UInt64) -> ([Double], [Double]) {
        var g = SplitMix64(seed: seed)
        func normal() -> Double {
            let u = max(g.nextUniform(), 1e-300)
            let v = g.nextUniform()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        let n = 500 + Int(g.next() % 3000)
        let m = 500 + Int(g.next() % 3000)
        switch shape {
        case .normal:
            return ((0..<n).map { _ in normal() }, (0..<m).map { _ in normal() })
        case .shifted:
            return ((0..<n).map { _ in normal() }, (0..<m).map { _ in normal() * 1.3 + 0.4 })
        case .integers:
            return ((0..<n).map { _ in Double(g.next() % 12) }, (0..<m).map { _ in Double(g.next() % 14) })
        case .identical:
            let r = (0..<n).map { _ in normal() }
            return (r, r.shuffled(using: &g))
        case .heavyTail:
            var r = (0..<n).map { _ in exp(normal() * 2) }
            var c = (0..<m).map { _ in exp(normal() * 2.2) }
            r[0] = 1e300
            c[1] = -1e300
            return (r, c)
        case .signedZeros:
            return (
                (0..<n).map { _ in [-0.0, 0.0, 1.0, -1.0][Int(g.next() % 4)] },
                (0..<m).map { _ in [0.0, -0.0, 1.0][Int(g.next() % 3)] }
            )
        case .withNonFinite:
            let specials: [Double] = [.nan, .infinity, -.infinity]
            return (
                (0..<n).map { _ in g.next() % 10 == 0 ? specials[Int(g.next() % 3)] : normal() },
                (0..<m).map { _ in g.next() % 7 == 0 ? specials[Int(g.next() % 3)] : normal() + 0.1 }
            )
        case .tiny:
            return (
                (0..<(1 + Int(g.next() % 4))).map { _ in normal() }, (0..<(1 + Int(g.next() % 4))).map { _ in normal() }
            )
        case .constant:
            return ([Double](repeating: 2.5, count: n), [Double](repeating: 2.5, count: m))
        }
    }

    static func sorted(_ values: [Double]) -> SortedSample { SortedSample(sorting: values.filter(\.isFinite)) }

    static func same(_ a: KSResult, _ b: KSResult) -> Bool {
        a.statistic.bitPattern == b.statistic.bitPattern && a.rawStatistic.bitPattern == b.rawStatistic.bitPattern
            && a.pValue.bitPattern == b.pValue.bitPattern && a.method == b.method
            && (a.location == b.location || (a.location.isNaN && b.location.isNaN)) && a.sign == b.sign
    }

    @Test(arguments: Shape.allCases)
    func kolmogorovSmirnovIsBitIdenticalToTheSortedWalk(_ shape: Shape) {
        for seed in 0..<UInt64(12) {
            let (r, c) = Self.samples(shape, seed: seed * 7919 + 1)
            let expected = KolmogorovSmirnov.twoSample(Self.sorted(r), Self.sorted(c))
            for buckets in [1, 2, 16, 1024, nil] {
                var (rb, cb) = BucketedSample.pair(reference: r, current: c, buckets: buckets)
                let got = KolmogorovSmirnov.twoSample(&rb, &cb)
                #expect(
                    Self.same(got, expected), "\(shape) seed \(seed) buckets \(buckets ?? 0): \(got) vs \(expected)")
            }
        }
    }

    @Test(arguments: Shape.allCases)
    func quantileBinsEqualTheSortedBins(_ shape: Shape) {
        for seed in 0..<UInt64(12) {
            let (r, c) = Self.samples(shape, seed: seed * 104_729 + 3)
            let (rs, cs) = (Self.sorted(r), Self.sorted(c))
            guard !rs.isEmpty else { continue }
            for bins in [2, 10, 37] {
                let expected = NumericBinning.bin(reference: rs, current: cs, mode: .quantile, bins: bins)
                for buckets in [1, 3, 64, nil] {
                    var (rb, cb) = BucketedSample.pair(reference: r, current: c, buckets: buckets)
                    let got = NumericBinning.quantileBins(reference: &rb, current: &cb, bins: bins)
                    // `==`, not bit patterns: a comparison sort leaves -0.0 and +0.0 in either order, so the
                    // sign of a zero cut point is not defined on the sorted path either.
                    #expect(got.edges == expected.edges)
                    #expect(got.referenceCounts == expected.referenceCounts)
                    #expect(got.currentCounts == expected.currentCounts)
                }
            }
        }
    }

    @Test func countsOfEveryKindMatchTheSample() {
        for shape in Shape.allCases {
            let (r, c) = Self.samples(shape, seed: 42)
            let (rb, _) = BucketedSample.pair(reference: r, current: c, buckets: 32)
            #expect(rb.count == Self.sorted(r).count, "\(shape)")
            #expect(rb.nanCount == r.filter(\.isNaN).count, "\(shape)")
            #expect(rb.infiniteCount == r.filter(\.isInfinite).count, "\(shape)")
        }
    }

    @Test func orderStatisticsMatchTheSortedSample() {
        for shape in Shape.allCases {
            let (r, c) = Self.samples(shape, seed: 42)
            let rs = Self.sorted(r)
            var (rb, _) = BucketedSample.pair(reference: r, current: c, buckets: 32)
            for k in stride(from: 0, to: rs.count, by: max(1, rs.count / 97)) {
                #expect(rb.orderStatistic(k).bitPattern == rs.values[k].bitPattern, "\(shape) rank \(k)")
            }
        }
    }

    @Test func countsBelowAValueMatchTheSortedSample() {
        for shape in Shape.allCases {
            let (r, c) = Self.samples(shape, seed: 42)
            let rs = Self.sorted(r)
            var (rb, _) = BucketedSample.pair(reference: r, current: c, buckets: 32)
            for t in (c.filter { !$0.isNaN } + [-1e308, 0, -0.0, 1e308, -.infinity, .infinity]) {
                #expect(rb.countLessThanOrEqual(t) == rs.countLessThanOrEqual(t), "\(shape) t \(t)")
                #expect(rb.countLessThan(t) == rs.countLessThan(t), "\(shape) t \(t)")
            }
        }
    }

    @Test func bucketsFollowTheOrderOfTheValues() {
        let grid = BucketGrid(lo: -3, hi: 5, count: 1000)
        var g = SplitMix64(seed: 9)
        var values = (0..<5000).map { _ in (g.nextUniform() * 10) - 4 } + [-0.0, 0.0, 5, -3, 1e308, -1e308]
        values.sort()
        for (a, b) in zip(values, values.dropFirst()) { #expect(grid.bucket(a) <= grid.bucket(b)) }
    }

    @Test func minusZeroSharesTheBucketOfZero() {
        let grid = BucketGrid(lo: -3, hi: 5, count: 1000)
        #expect(grid.bucket(-0.0) == grid.bucket(0.0))
    }

    @Test func aDegenerateGridPutsEveryValueInTheFirstBucket() {
        #expect(BucketGrid(lo: 1, hi: 1, count: 8).bucket(1) == 0)
        #expect(BucketGrid(lo: -1e308, hi: 1e308, count: 8).bucket(5) == 0)  // the width overflows
    }
}
