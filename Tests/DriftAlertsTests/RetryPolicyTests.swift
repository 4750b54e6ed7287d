import DriftStats
import Testing

@testable import DriftAlerts

/// The retry policy: the verdict of a receiver's answer, the delay before the next attempt, and arithmetic
/// that a receiver's answer or a stored attempt count never overflows.
@Suite struct RetryPolicyTests {
    @Test func aHugeRetryAfterIsCappedAtOneHour() {
        var random = SystemRandomNumberGenerator()
        let delay = RetryPolicy.delay(
            afterAttempt: 1, retryAfter: "99999999999999", now: 1_700_000_000_000_000, random: &random)
        #expect(delay == 3_600_000_000)
        #expect(RetryPolicy.parseRetryAfter("99999999999999", now: 0) == Int64.max)
        #expect(RetryPolicy.parseRetryAfter("999999999999999999999999", now: 0) == Int64.max)
        #expect(RetryPolicy.parseRetryAfter("120", now: 0) == 120_000_000)
    }

    @Test func hugeAttemptCountsWaitTheLongestInterval() {
        var random = SystemRandomNumberGenerator()
        for attempt in [Int.min, -1, 0, 1, 64, Int.max] {
            let delay = RetryPolicy.delay(afterAttempt: attempt, retryAfter: nil, now: 0, random: &random)
            #expect(delay >= 500_000 && delay < 450_000_000, "attempt \(attempt)")
        }
    }

    @Test func aHugeMaximumIntervalSaturatesTheDelay() {
        var random = SystemRandomNumberGenerator()
        let delay = RetryPolicy.delay(
            afterAttempt: 63, retryAfter: nil, now: 0, maxSeconds: Int.max, random: &random)
        #expect(delay > 0)
    }

    @Test func theStatusCodeDecidesTheVerdict() {
        #expect(RetryPolicy.verdict(statusCode: 204) == .delivered)
        #expect(RetryPolicy.verdict(statusCode: 400) == .failed)
        #expect(RetryPolicy.verdict(statusCode: 429) == .retry)
        #expect(RetryPolicy.verdict(statusCode: 503) == .retry)
        #expect(RetryPolicy.verdict(statusCode: nil) == .retry)
    }

    @Test func aRetryAfterInSecondsSetsTheDelay() {
        var random = SplitMix64(seed: 1)
        #expect(RetryPolicy.delay(afterAttempt: 3, retryAfter: "7", now: 0, random: &random) == 7_000_000)
    }

    @Test func aRetryAfterDateSetsTheDelay() {
        var random = SplitMix64(seed: 1)
        let now: Int64 = 1_445_412_480_000_000  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(
            RetryPolicy.delay(afterAttempt: 1, retryAfter: "Wed, 21 Oct 2015 07:28:30 GMT", now: now, random: &random)
                == 30_000_000)
    }

    @Test func withoutRetryAfterTheDelayDoublesWithJitterUpToFiveMinutes() {
        var random = SplitMix64(seed: 1)
        for attempt in 1...12 {
            let d = RetryPolicy.delay(afterAttempt: attempt, retryAfter: nil, now: 0, random: &random)
            let base = min(Double(1 << (attempt - 1)), 300) * 1_000_000
            #expect(Double(d) >= base * 0.5 && Double(d) < base * 1.5, "attempt \(attempt)")
        }
    }
}
