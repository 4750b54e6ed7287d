import Testing

@testable import DriftStats

@Suite struct SortedSampleTests {
    @Test func radixSortMatchesComparisonSort() {
        var rng = SplitMix64(seed: 42)
        for n in [0, 1, 2, 100, 2049, 50_000] {
            var values = (0..<n).map { _ in rng.nextDouble(in: -1e6...1e6) }
            if n > 10 {
                values[3] = -0.0
                values[4] = 0.0
                values[5] = .infinity
                values[6] = -.infinity
                values[7] = Double.leastNormalMagnitude / 4  // subnormal
                values[8] = -Double.leastNormalMagnitude / 4
            }
            let expected = values.sorted()
            var radix = values
            RadixSort.sortAscending(&radix)
            #expect(radix.elementsEqual(expected, by: { $0 == $1 }), "n = \(n)")
        }
    }

    @Test func nanIsLeftOutOfTheSortedValues() {
        #expect(SortedSample(sorting: [3, .nan, 1, 2, .nan]).values == [1, 2, 3])
    }

    @Test func leftOutNaNsAreCounted() {
        #expect(SortedSample(sorting: [3, .nan, 1, 2, .nan]).removedNaNCount == 2)
    }

    @Test func countsBelowAValueAreRanks() {
        let s = SortedSample(sorting: [1, 2, 2, 3])
        #expect(s.countLessThanOrEqual(2) == 3)
        #expect(s.countLessThan(2) == 1)
    }

    @Test func repeatedValuesCountOnceAsDistinct() {
        #expect(SortedSample(sorting: [1, 2, 2, 3]).distinctCount == 3)
    }

    @Test func momentsAreThePopulationMoments() {
        let s = SortedSample(sorting: [1, 2, 2, 3])
        #expect(s.mean == 2)
        #expect(isClose(s.populationStandardDeviation ?? 0, (0.5).squareRoot()))
    }

    @Test func anEmptySampleHasNoMean() {
        #expect(SortedSample(sorting: []).mean == nil)
    }
}

extension SplitMix64 {
    mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }
}
