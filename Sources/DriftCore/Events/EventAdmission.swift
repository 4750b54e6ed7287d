import DriftTables

/// The event times an agent stores for one model: not further ahead of its clock than
/// `server.max_future_skew` (a far-future event would move the window watermark past every current one),
/// and not so old that the model's retention would delete it at its next pass (within the hour): such a
/// line is refused, never acknowledged and then deleted.
package struct EventAdmission: Sendable, Equatable {
    /// The latest event time accepted (µs): the agent's clock plus the skew.
    package let latest: Int64
    /// The earliest event time accepted (µs): the start of the oldest UTC day the model keeps an hour
    /// from now.
    package let earliest: Int64
    let skewSeconds: Int
    let retentionDays: Int

    static let day: Int64 = 86_400_000_000
    static let hour: Int64 = 3_600_000_000

    /// Bounds for a model with `retentionDays` at wall time `now` (µs).
    package init(now: Int64, maxFutureSkewSeconds: Int, retentionDays: Int) {
        skewSeconds = max(0, maxFutureSkewSeconds)
        self.retentionDays = max(0, retentionDays)
        latest = Self.adding(now, Self.scaled(Int64(skewSeconds), 1_000_000))
        // The retention pass deletes events before the start of (today − retention days); it runs hourly.
        let soon = Self.adding(now, Self.hour)
        let today = soon >= 0 ? soon / Self.day : (soon - Self.day + 1) / Self.day
        earliest = Self.startOfDay(today, minusDays: self.retentionDays)
    }

    /// The start (µs) of the UTC day `days` before day `today` (days since 1970-01-01): where a model's
    /// retention cuts. Held at the ends of Int64 for absurd inputs.
    package static func startOfDay(_ today: Int64, minusDays days: Int) -> Int64 {
        scaled(adding(today, -Int64(max(0, days))), day)
    }

    /// Why an event dated `time` (µs) is refused, or nil when it is accepted.
    package func problem(eventTime time: Int64, field: String = "timestamp") -> EventProblem? {
        if time > latest {
            return EventProblem(
                .outsideWindow, field: field,
                "\(RFC3339.text(microseconds: time)) is more than server.max_future_skew (\(Self.duration(skewSeconds))) ahead of the agent's clock (latest accepted: \(RFC3339.text(microseconds: latest)))"
            )
        }
        if time < earliest {
            return EventProblem(
                .outsideWindow, field: field,
                "\(RFC3339.text(microseconds: time)) is older than the model's retention (\(retentionDays)d): events before \(RFC3339.text(microseconds: earliest)) are not kept"
            )
        }
        return nil
    }

    /// `a + b`, held at the ends of Int64 instead of overflowing.
    static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a × b`, held at the ends of Int64 instead of overflowing.
    static func scaled(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? .min : .max) : product
    }

    /// `90s`, `15m`, `1h`, `2d`: the largest unit that divides `seconds`.
    static func duration(_ seconds: Int) -> String {
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] where seconds > 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
