import Foundation
import Testing

@testable import DriftStats

@Suite struct CheckedArithmeticTests {
    @Test func doublesPastTheIntegerRangeClampToItsEnds() {
        #expect(Int(clampingFinite: 1e300) == Int.max)
        #expect(Int(clampingFinite: -1e300) == Int.min)
        #expect(Int(clampingFinite: 0x1p63) == Int.max)
        #expect(Int(clampingFinite: -0x1p63) == Int.min)
        #expect(Int(clampingFinite: .infinity) == Int.max)
        #expect(Int(clampingFinite: -.infinity) == Int.min)
        #expect(Int(clampingFinite: .nan) == 0)
        #expect(Int(clampingFinite: .nan, nan: -1) == -1)
        #expect(Int32(clampingFinite: 3e9) == Int32.max)
    }

    @Test func doublesInTheIntegerRangeConvertAsInt() {
        for v in [0.0, -0.0, 0.5, -0.5, 2.9, -2.9, 1e15 + 0.5, 0x1p62, -0x1p63 + 1024, 0x1p63 - 1024] {
            #expect(Int(clampingFinite: v) == Int(v))
        }
    }

    @Test func integerArithmeticSaturatesInsteadOfOverflowing() {
        #expect(Int64(99_999_999_999_999).multipliedSaturating(by: 1_000_000) == Int64.max)
        #expect(Int64(-99_999_999_999_999).multipliedSaturating(by: 1_000_000) == Int64.min)
        #expect(Int.max.addingSaturating(1) == Int.max)
        #expect(Int.min.addingSaturating(-1) == Int.min)
        #expect(Int64.min.subtractingSaturating(1) == Int64.min)
        #expect(Int64.max.subtractingSaturating(-1) == Int64.max)
        #expect(Int(6).multipliedSaturating(by: 7) == 42)
        #expect(Int(40).addingSaturating(2) == 42)
        #expect(Int(44).subtractingSaturating(2) == 42)
    }

    @Test func storedCountsAreBoundedByTwoToThe53() {
        #expect(StoredCounts.areValid([1, 2, 3]))
        #expect(StoredCounts.areValid([1 << 53]))
        #expect(!StoredCounts.areValid([1 << 53, 1]))
        #expect(!StoredCounts.areValid([-1]))
        #expect(!StoredCounts.areValid([Int.max, Int.max]))
    }

    // MARK: equal-width binning on ranges that overflow a Double

    @Test func sturgesOnARangePastTheLargestDoubleIsOneBin() {
        let edges = EqualWidthBinning.sturgesEdges(min: -1.7e308, max: 1.7e308, count: 40)
        #expect(edges == [-1.7e308, 1.7e308])
    }

    @Test func sturgesWithAnInfiniteEndIsOneBin() {
        #expect(EqualWidthBinning.sturgesEdges(min: -.infinity, max: 1, count: 40) == [-.infinity, 1])
        #expect(EqualWidthBinning.sturgesEdges(min: 0, max: .infinity, count: 40) == [0, .infinity])
    }

    @Test func evidentlyBinningOfAWindowHoldingBothExtremesIsOneBin() {
        let reference = SortedSample(sorting: (0..<30).map(Double.init))
        let current = SortedSample(sorting: [-1.7e308, 1.0, 2.0, 1.7e308])
        let binned = NumericBinning.bin(reference: reference, current: current, mode: .evidently)
        #expect(binned.edges == [-1.7e308, 1.7e308])
        #expect(binned.referenceCounts == [30])
        #expect(binned.currentCounts == [4])
    }

    @Test func doaneOnARangePastTheLargestDoubleIsOneBin() {
        // The mean is finite (the extremes cancel) but σ overflows to +inf, so the width is +inf.
        let sample = SortedSample(sorting: [-1.7e308, -1, 0, 1, 1.7e308])
        let edges = EqualWidthBinning.doaneEdges(sample)
        #expect(edges == [-1.7e308, 1.7e308])
        #expect(EqualWidthBinning.counts(sample, edges: edges) == [5])
    }

    @Test func nannymlBinningWithInfiniteValuesHasFiniteOrInfiniteEdgesNeverNaN() {
        let reference = SortedSample(sorting: [-.infinity, 0, 1, 2, 3, .infinity])
        let current = SortedSample(sorting: [0, 1, .nan])
        let binned = NumericBinning.bin(reference: reference, current: current, mode: .nannyml)
        #expect(!binned.edges.contains { $0.isNaN })
    }

    @Test func edgesOfARangePastTheLargestDoubleAreOneBin() {
        #expect(EqualWidthBinning.edges(lo: -1.7e308, hi: 1.7e308, bins: 10) == [-1.7e308, 1.7e308])
        #expect(EqualWidthBinning.edges(lo: 0, hi: 1, bins: 4) == [0, 0.25, 0.5, 0.75, 1])
    }

    @Test func theBinCountIsOneWhenTheQuotientIsNotFinite() {
        #expect(EqualWidthBinning.binCount(range: .infinity, width: .infinity) == 1)
        #expect(EqualWidthBinning.binCount(range: .nan, width: 1) == 1)
        #expect(EqualWidthBinning.binCount(range: 1, width: 0) == 1)
        #expect(EqualWidthBinning.binCount(range: 1e200, width: 1e-100) == EqualWidthBinning.maxBins)
        #expect(EqualWidthBinning.binCount(range: 10, width: 3) == 4)
    }

    @Test func latencyHistogramsMergeWithoutOverflowingTheirCounters() throws {
        let json = #"""
            {"version":1,"count":0,"clampedCount":9223372036854775807,"rejectedCount":9223372036854775807,
             "minMicroseconds":0,"maxMicroseconds":0,"bucketMicroseconds":[],"bucketCounts":[]}
            """#
        let stored = try JSONDecoder().decode(LatencyHistogram.self, from: Data(json.utf8))
        var merged = stored
        merged.merge(stored)
        #expect(merged.clampedCount == Int.max)
        #expect(merged.rejectedCount == Int.max)
    }
}
