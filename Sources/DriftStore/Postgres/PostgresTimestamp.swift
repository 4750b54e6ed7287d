/// UTC timestamps as microseconds since the Unix epoch, written the way PostgreSQL reads `timestamptz`.
public enum PostgresTimestamp {
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00` for `microseconds` since 1970-01-01T00:00:00Z.
    public static func text(microseconds: Int64) -> String {
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

    /// The UTC day (days since 1970-01-01) holding `microseconds`.
    public static func day(microseconds: Int64) -> Int64 {
        let perDay: Int64 = 86_400_000_000
        return microseconds >= 0 ? microseconds / perDay : (microseconds - perDay + 1) / perDay
    }

    /// `YYYY-MM-DD` of a day number.
    public static func dateText(day: Int64) -> String {
        let (y, m, d) = civil(fromDays: day)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
