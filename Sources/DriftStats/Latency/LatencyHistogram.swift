import Histogram

/// A mergeable, serialisable latency distribution for one window (HdrHistogram, 3 significant digits).
///
/// Latencies are given in **milliseconds** and stored as whole **microseconds** in an
/// `Histogram<UInt64>` (hdrhistogram-swift) tracking 1 µs … 1 h with 3 significant decimal digits
/// (≈ 190 KB per histogram; recording is O(1), a quantile O(buckets) ≈ 23k steps, merging O(buckets)).
///
/// **Error bound.** For `p ∈ [0, 1]` let `x` be the exact sample quantile: the k-th smallest recorded
/// latency with `k = max(1, ⌈p·n⌉)` (the inverted-CDF quantile, numpy `method='inverted_cdf'`).
/// ``quantile(_:)`` returns the highest value of the HdrHistogram bucket holding `x`, limited to the
/// exact minimum and maximum, so `x − 0.5 µs ≤ quantile(p) ≤ x + x/1024 + 0.5 µs`:
/// **relative error ≤ 10⁻³ of the value, plus 1 µs resolution** (the ½ µs is the rounding of
/// milliseconds to whole microseconds; buckets below 2.048 ms are exactly 1 µs wide).
/// ``max`` and ``min`` are exact to the microsecond.
///
/// Special values: NaN and negative latencies (below −0.5 µs) are not recorded and are counted in
/// ``rejectedCount``; latencies above 1 h (including +∞) are recorded as exactly 1 h and counted in
/// ``clampedCount``. An empty histogram reports `nil` quantiles, minimum and maximum.
public struct LatencyHistogram: Sendable {
    /// The largest latency stored without clamping: 1 hour, in microseconds.
    public static let highestTrackableMicroseconds: UInt64 = 3_600_000_000
    /// The largest total a decoded histogram may hold (2⁵³), so that merging can never overflow.
    static let maximumCount = 9_007_199_254_740_992.0

    private var histogram: Histogram<UInt64>
    /// Number of recorded latencies (including clamped ones, excluding rejected ones).
    public private(set) var count = 0
    /// Number of latencies above 1 h that were recorded as 1 h.
    public private(set) var clampedCount = 0
    /// Number of NaN or negative latencies that were not recorded.
    public private(set) var rejectedCount = 0
    private var minimumMicroseconds = UInt64.max
    private var maximumMicroseconds: UInt64 = 0

    /// An empty histogram.
    public init() {
        histogram = LatencyHistogram.emptyHistogram()
    }

    private static func emptyHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableMicroseconds,
            numberOfSignificantValueDigits: .three)
    }

    /// Records one latency in milliseconds (rounded to the nearest microsecond). O(1).
    public mutating func record(milliseconds: Double) {
        guard !milliseconds.isNaN else {
            rejectedCount += 1
            return
        }
        let micros = (milliseconds * 1000).rounded()
        guard micros >= 0 else {
            rejectedCount += 1
            return
        }
        var value = LatencyHistogram.highestTrackableMicroseconds
        if micros > Double(value) {
            clampedCount += 1
        } else {
            value = UInt64(micros)
        }
        record(microseconds: value, count: 1)
    }

    /// Adds `count` values already in range (≤ 1 h). Returns `false` if the histogram refused them.
    @discardableResult
    private mutating func record(microseconds value: UInt64, count n: Int) -> Bool {
        guard n > 0, histogram.record(value, count: UInt64(n)) else { return false }
        count += n
        minimumMicroseconds = Swift.min(minimumMicroseconds, value)
        maximumMicroseconds = Swift.max(maximumMicroseconds, value)
        return true
    }

    /// Adds every recording of `other` (bucket by bucket; equivalent to recording its values here). O(buckets).
    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        count = count.addingSaturating(other.count)
        clampedCount = clampedCount.addingSaturating(other.clampedCount)
        rejectedCount = rejectedCount.addingSaturating(other.rejectedCount)
        minimumMicroseconds = Swift.min(minimumMicroseconds, other.minimumMicroseconds)
        maximumMicroseconds = Swift.max(maximumMicroseconds, other.maximumMicroseconds)
    }

    /// This histogram plus `other`. O(buckets).
    public func merging(_ other: LatencyHistogram) -> LatencyHistogram {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The latency (ms) at quantile `p` (clamped to [0, 1]) within the documented error bound:
    /// the recorded value of rank `max(1, ⌈p·n⌉)`, reported as the top of its bucket. O(buckets).
    /// `nil` when empty or `p` is NaN.
    public func quantile(_ p: Double) -> Double? {
        guard count > 0, !p.isNaN else { return nil }
        let rank = LatencyHistogram.rank(of: p, count: count)
        var cumulative = 0
        for bucket in histogram.recordedValues() {
            cumulative = cumulative.addingSaturating(Int(clamping: bucket.count))
            if cumulative >= rank {
                let value = Swift.min(Swift.max(bucket.value, minimumMicroseconds), maximumMicroseconds)
                return Double(value) / 1000
            }
        }
        return max
    }

    /// The 1-based rank `max(1, ⌈p·n⌉)` of quantile `p` (clamped to [0, 1]) among `count` values.
    static func rank(of p: Double, count: Int) -> Int {
        let clamped = Swift.min(Swift.max(p, 0), 1)
        return Swift.min(count, Swift.max(1, Int((clamped * Double(count)).rounded(.up))))
    }

    /// Median latency (ms), ``quantile(_:)`` at 0.5.
    public var p50: Double? { quantile(0.5) }
    /// 95th-percentile latency (ms).
    public var p95: Double? { quantile(0.95) }
    /// 99th-percentile latency (ms).
    public var p99: Double? { quantile(0.99) }

    /// The largest recorded latency (ms, exact to the microsecond; 1 h if any value was clamped), `nil` when empty.
    public var max: Double? { count > 0 ? Double(maximumMicroseconds) / 1000 : nil }

    /// The smallest recorded latency (ms, exact to the microsecond), `nil` when empty.
    public var min: Double? { count > 0 ? Double(minimumMicroseconds) / 1000 : nil }

    /// Non-empty buckets as (highest equivalent value in µs, count), ascending.
    var buckets: [(microseconds: UInt64, count: Int)] {
        histogram.recordedValues().map { ($0.value, Int(clamping: $0.count)) }
    }
}

extension LatencyHistogram: Equatable {
    /// Equal when counts, extremes and every bucket agree.
    public static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        lhs.count == rhs.count && lhs.clampedCount == rhs.clampedCount && lhs.rejectedCount == rhs.rejectedCount
            && lhs.minimumMicroseconds == rhs.minimumMicroseconds
            && lhs.maximumMicroseconds == rhs.maximumMicroseconds
            && lhs.buckets.elementsEqual(rhs.buckets) { $0.microseconds == $1.microseconds && $0.count == $1.count }
    }
}

extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey {
        case version, count, clampedCount, rejectedCount, minMicroseconds, maxMicroseconds
        case bucketMicroseconds, bucketCounts
    }

    /// Encodes a compact sparse form: the non-empty buckets (their highest equivalent value in µs and
    /// count) plus the counters and the exact extremes — a few hundred numbers instead of the ~23k
    /// counters of the in-memory histogram.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let buckets = self.buckets
        try container.encode(1, forKey: .version)
        try container.encode(count, forKey: .count)
        try container.encode(clampedCount, forKey: .clampedCount)
        try container.encode(rejectedCount, forKey: .rejectedCount)
        try container.encode(count > 0 ? minimumMicroseconds : 0, forKey: .minMicroseconds)
        try container.encode(maximumMicroseconds, forKey: .maxMicroseconds)
        try container.encode(buckets.map(\.microseconds), forKey: .bucketMicroseconds)
        try container.encode(buckets.map(\.count), forKey: .bucketCounts)
    }

    /// Decodes the form written by ``encode(to:)``; throws `DecodingError.dataCorrupted` for an
    /// unknown version, out-of-range buckets or counts that do not add up.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func corrupted(_ message: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
        }
        guard try container.decode(Int.self, forKey: .version) == 1 else { throw corrupted("unknown version") }
        let values = try container.decode([UInt64].self, forKey: .bucketMicroseconds)
        let counts = try container.decode([Int].self, forKey: .bucketCounts)
        let total = try container.decode(Int.self, forKey: .count)
        let minimum = try container.decode(UInt64.self, forKey: .minMicroseconds)
        let maximum = try container.decode(UInt64.self, forKey: .maxMicroseconds)
        guard values.count == counts.count, counts.allSatisfy({ $0 > 0 }),
            counts.reduce(0.0, { $0 + Double($1) }) <= LatencyHistogram.maximumCount
        else { throw corrupted("bucket arrays must have equal length and positive counts totalling ≤ 2⁵³") }
        self.init()
        for (value, n) in zip(values, counts) where !record(microseconds: value, count: n) {
            throw corrupted("bucket value \(value) µs is out of range")
        }
        guard count == total, total == 0 || (minimum <= maximum && maximum <= maximumMicroseconds) else {
            throw corrupted("bucket counts do not match the recorded count or extremes")
        }
        clampedCount = try container.decode(Int.self, forKey: .clampedCount)
        rejectedCount = try container.decode(Int.self, forKey: .rejectedCount)
        if total > 0 {
            minimumMicroseconds = minimum
            maximumMicroseconds = maximum
        }
    }
}
