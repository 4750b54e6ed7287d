import Testing

@testable import DriftAlerts

/// A receiver's answer and stored attempt counts never overflow the retry arithmetic.
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
}
