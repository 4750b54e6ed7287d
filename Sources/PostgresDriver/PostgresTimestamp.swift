import DriftTables

/// UTC timestamps as microseconds since the Unix epoch, written the way PostgreSQL reads `timestamptz`.
package enum PostgresTimestamp {
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00` for `microseconds` since 1970-01-01T00:00:00Z.
    package static func text(microseconds: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = microseconds / perDay
        var rest = microseconds % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (y, m, d) = civil(fromDays: days)
        let seconds = rest / 1_000_000
        let micros = rest % 1_000_000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):"
            + "\(pad(seconds % 60, 2)).\(pad(micros, 6))+00"
    }

    /// The UTC day (days since 1970-01-01) holding `microseconds` (floor division, defined for every Int64).
    package static func day(microseconds: Int64) -> Int64 {
        let perDay: Int64 = 86_400_000_000
        let q = microseconds / perDay
        return microseconds % perDay < 0 ? q - 1 : q
    }

    /// `YYYY-MM-DD` of a day number.
    package static func dateText(day: Int64) -> String {
        let (y, m, d) = civil(fromDays: day)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) { RFC3339.civil(days) }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
