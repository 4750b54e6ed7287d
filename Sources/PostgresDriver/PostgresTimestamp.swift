import DriftTables

/// UTC timestamps as microseconds since the Unix epoch, written the way PostgreSQL reads `timestamptz`.
package enum PostgresTimestamp {
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00` for `microseconds` since 1970-01-01T00:00:00Z.
    package static func text(microseconds: Int64) -> String {
        let t = RFC3339.fields(microseconds: microseconds)
        return "\(t.date) \(t.time).\(RFC3339.pad(t.micros, 6))+00"
    }

    /// The UTC day (days since 1970-01-01) holding `microseconds` (floor division, defined for every Int64).
    package static func day(microseconds: Int64) -> Int64 {
        let perDay: Int64 = 86_400_000_000
        let q = microseconds / perDay
        return microseconds % perDay < 0 ? q - 1 : q
    }

    /// `YYYY-MM-DD` of a day number.
    package static func dateText(day: Int64) -> String {
        let (y, m, d) = RFC3339.civil(day)
        return "\(RFC3339.pad(y, 4))-\(RFC3339.pad(m, 2))-\(RFC3339.pad(d, 2))"
    }
}
