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

    @Test func nanIsRemovedAndCounted() {
        let s = SortedSample(sorting: [3, .nan, 1, 2, .nan])
        #expect(s.values == [1, 2, 3])
        #expect(s.removedNaNCount == 2)
    }

    @Test func countsAndMoments() {
        let s = SortedSample(sorting: [1, 2, 2, 3])
        #expect(s.countLessThanOrEqual(2) == 3)
        #expect(s.countLessThan(2) == 1)
        #expect(s.distinctCount == 3)
        #expect(s.mean == 2)
        #expect(isClose(s.populationStandardDeviation ?? 0, (0.5).squareRoot()))
        #expect(SortedSample(sorting: []).mean == nil)
    }
}

/// A small seeded generator for tests (SplitMix64; Steele, Lea & Flood 2014).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }
    /// A standard normal draw (Box–Muller).
    mutating func nextGaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne...1, using: &self)
        let u2 = Double.random(in: 0...1, using: &self)
        return (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }
}

import Foundation
private func _log(_ x: Double) -> Double { Foundation.log(x) }
private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
