import Foundation
import Testing

@testable import DriftStats

@Suite struct LatencyHistogramTests {
    /// A seeded log-normal latency sample (median 20 ms, σ = 1.2 in log space: ≈ 0.05 ms … 2 s),
    /// with a few sub-millisecond and exactly-integer-microsecond values mixed in.
    static func sample(count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            if i % 97 == 0 { return Double(rng.next() % 2000) / 1000 }  // 0 … 1.999 ms, whole µs
            return 20 * exp(1.2 * rng.nextGaussian())
        }
    }

    /// The exact inverted-CDF quantile of `sorted`: the value of rank max(1, ⌈p·n⌉).
    static func exactQuantile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[LatencyHistogram.rank(of: p, count: sorted.count) - 1]
    }

    @Test func quantilesAreWithinTheDocumentedBound() throws {
        let values = Self.sample(count: 200_000, seed: 7)
        var histogram = LatencyHistogram()
        for v in values { histogram.record(milliseconds: v) }
        let sorted = values.sorted()
        #expect(histogram.count == values.count)
        var worstRelative = 0.0
        for p in [0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0] {
            let exact = Self.exactQuantile(sorted, p)
            let reported = try #require(histogram.quantile(p))
            // Documented bound: |reported − exact| ≤ 1e-3 · exact + 1 µs.
            #expect(abs(reported - exact) <= 1e-3 * exact + 0.001, "p = \(p): \(reported) vs \(exact)")
            if exact > 1 { worstRelative = max(worstRelative, abs(reported - exact) / exact) }
        }
        #expect(worstRelative > 0)  // the histogram really quantises
        #expect(histogram.p50 == histogram.quantile(0.5))
        #expect(histogram.p95 == histogram.quantile(0.95))
        #expect(histogram.p99 == histogram.quantile(0.99))
        // Extremes are exact to the microsecond.
        #expect(abs(try #require(histogram.max) - sorted[sorted.count - 1]) <= 0.0005)
        #expect(abs(try #require(histogram.min) - sorted[0]) <= 0.0005)
    }

    @Test func mergeEqualsRecordingEverything() throws {
        let values = Self.sample(count: 40_000, seed: 11)
        var whole = LatencyHistogram()
        for v in values { whole.record(milliseconds: v) }
        var shards = [LatencyHistogram](repeating: LatencyHistogram(), count: 4)
        for (i, v) in values.enumerated() { shards[i % 4].record(milliseconds: v) }
        let merged = shards.dropFirst().reduce(shards[0]) { $0.merging($1) }
        #expect(merged == whole)
        #expect(merged.quantile(0.99) == whole.quantile(0.99))
        var empty = LatencyHistogram()
        empty.merge(whole)
        #expect(empty == whole)
        #expect(whole.merging(LatencyHistogram()) == whole)
    }

    @Test func codableRoundTripIsCompact() throws {
        var histogram = LatencyHistogram()
        for v in Self.sample(count: 10_000, seed: 3) { histogram.record(milliseconds: v) }
        histogram.record(milliseconds: .nan)
        histogram.record(milliseconds: 7_200_000)
        let data = try JSONEncoder().encode(histogram)
        let decoded = try JSONDecoder().decode(LatencyHistogram.self, from: data)
        #expect(decoded == histogram)
        #expect(decoded.quantile(0.95) == histogram.quantile(0.95))
        #expect(decoded.clampedCount == 1 && decoded.rejectedCount == 1)
        // Sparse: a few thousand non-empty buckets, not the ~23.5k counters (≈ 190 KB) held in memory.
        #expect(data.count < 64_000, "\(data.count) bytes")
        let empty = try JSONDecoder().decode(LatencyHistogram.self, from: JSONEncoder().encode(LatencyHistogram()))
        #expect(empty == LatencyHistogram())
        let corrupt = Data(
            #"{"version":1,"count":5,"clampedCount":0,"rejectedCount":0,"minMicroseconds":1,"maxMicroseconds":9,"bucketMicroseconds":[9],"bucketCounts":[2]}"#
                .utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LatencyHistogram.self, from: corrupt) }
        let overflowing = Data(
            #"{"version":1,"count":5,"clampedCount":0,"rejectedCount":0,"minMicroseconds":1,"maxMicroseconds":9,"bucketMicroseconds":[1,9],"bucketCounts":[9223372036854775807,9223372036854775807]}"#
                .utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LatencyHistogram.self, from: overflowing) }
        let outOfRange = Data(
            #"{"version":1,"count":1,"clampedCount":0,"rejectedCount":0,"minMicroseconds":1,"maxMicroseconds":1,"bucketMicroseconds":[18446744073709551615],"bucketCounts":[1]}"#
                .utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LatencyHistogram.self, from: outOfRange) }
    }

    @Test func specialValues() throws {
        var h = LatencyHistogram()
        #expect(h.quantile(0.5) == nil && h.max == nil && h.min == nil && h.count == 0)
        h.record(milliseconds: .nan)
        h.record(milliseconds: -1)
        #expect(h.rejectedCount == 2 && h.count == 0 && h.p99 == nil)
        h.record(milliseconds: -0.0004)  // rounds to 0 µs: kept
        h.record(milliseconds: 0.0015)  // 1.5 µs → 2 µs
        h.record(milliseconds: 3 * 3_600_000)  // 3 h → clamped to 1 h
        h.record(milliseconds: .infinity)
        #expect(h.count == 4 && h.clampedCount == 2 && h.rejectedCount == 2)
        #expect(h.min == 0 && h.max == 3_600_000)
        #expect(h.quantile(0) == 0 && h.quantile(0.5) == 0.002 && h.quantile(1) == 3_600_000)
        #expect(h.quantile(-3) == 0 && h.quantile(7) == 3_600_000 && h.quantile(.nan) == nil)

        var single = LatencyHistogram()
        single.record(milliseconds: 123.456)
        #expect(single.quantile(0.5) == 123.456 && single.max == 123.456)  // clamped to the exact value
        var same = LatencyHistogram()
        for _ in 0..<1000 { same.record(milliseconds: 42) }
        #expect(same.quantile(0.01) == 42 && same.quantile(0.99) == 42)
    }
}
