import DriftStats
import Foundation

/// When a notification is tried again, and when it is given up.
///
/// - 2xx: delivered. 408 and 429 and every 5xx, timeout or connection error: retried. Any other status:
///   failed for good (the receiver refused it; retrying would not help).
/// - The n-th retry waits `min(2^(n-1) s, maxSeconds)` (5 min by default) times a random factor in
///   [0.5, 1.5) (jitter, so many agents do not retry in step), or what the receiver's `Retry-After` asks
///   (seconds or an HTTP date), capped at one hour.
/// - Past the receiver's deadline (from when the notification was written) a retry becomes a failure.
package enum RetryPolicy {
    package enum Verdict: Equatable, Sendable {
        case delivered
        case failed
        case retry
    }

    package static func verdict(statusCode: Int?) -> Verdict {
        guard let code = statusCode else { return .retry }
        if (200..<300).contains(code) { return .delivered }
        if code == 408 || code == 429 || code >= 500 { return .retry }
        return .failed
    }

    /// Delay before the retry that follows attempt number `attempt` (1-based), in µs; any attempt count,
    /// `maxSeconds` or `Retry-After` gives a delay in 0…`Int64.max` (a huge wait saturates, never traps).
    package static func delay(
        afterAttempt attempt: Int, retryAfter: String?, now: Int64, maxSeconds: Int = 300,
        random: inout some RandomNumberGenerator
    ) -> Int64 {
        if let retryAfter, let asked = parseRetryAfter(retryAfter, now: now) {
            return min(max(asked, 0), 3_600_000_000)
        }
        let doublings = attempt > 1 ? min(attempt - 1, 62) : 0
        let base = min(pow(2, Double(doublings)), Double(max(maxSeconds, 1)))
        let jitter = Double.random(in: 0.5..<1.5, using: &random)
        return Int64(clampingFinite: base * jitter * 1_000_000)
    }

    /// `Retry-After` as a delay in µs: delta-seconds, or an IMF-fixdate (RFC 9110); a delay past `Int64`
    /// saturates (the caller caps it at one hour).
    package static func parseRetryAfter(_ text: String, now: Int64) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed), seconds >= 0 {
            return seconds.multipliedSaturating(by: 1_000_000)
        }
        // More digits than Int64 holds: still a (very long) delta-seconds.
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int64.max }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: text) else { return nil }
        return Int64(clampingFinite: date.timeIntervalSince1970 * 1_000_000).subtractingSaturating(now)
    }
}
