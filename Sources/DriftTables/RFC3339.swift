/// RFC 3339 timestamps (`2026-11-23T08:00:00Z`, `2026-11-23T09:00:00.123456+01:00`; a space may stand
/// for the `T`) as microseconds since the Unix epoch, UTC. Fractions beyond microseconds are cut.
package enum RFC3339 {
    /// Microseconds since 1970-01-01T00:00:00Z, or nil when `text` is not an RFC 3339 date-time or falls
    /// outside `range` once its offset is applied.
    package static func microseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var v: Int64 = 0
            for k in from..<(from + count) {
                guard b[k] >= 0x30 && b[k] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[k] - 0x30)
            }
            return v
        }
        guard b.count >= 20, let year = digits(0, 4), b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D,
            let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 0x20,
            let hour = digits(11, 2), b[13] == 0x3A, let minute = digits(14, 2), b[16] == 0x3A,
            let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var scale: Int64 = 100_000
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                micros += Int64(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offsetSeconds: Int64 = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = digits(i + 4, 2), oh < 24,
                om < 60
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == 0x2B ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        let time = seconds * 1_000_000 + micros
        return range.contains(time) ? time : nil
    }

    /// The times a timestamp may denote once its offset is applied: 0001-01-01T00:00:00Z through
    /// 9999-12-31T23:59:59.999999Z (PostgreSQL and every client agree on these years).
    package static let range: ClosedRange<Int64> =
        daysFromCivil(year: 1, month: 1, day: 1) * 86_400_000_000...daysFromCivil(year: 10_000, month: 1, day: 1)
        * 86_400_000_000 - 1

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` for microseconds since the Unix epoch (fraction only when non-zero);
    /// meant for times in `range`.
    package static func text(microseconds: Int64) -> String {
        let t = fields(microseconds: microseconds)
        var text = "\(t.date)T\(t.time)"
        if t.micros != 0 { text += "." + pad(t.micros, 6) }
        return text + "Z"
    }

    /// The UTC date `YYYY-MM-DD`, time `HH:MM:SS` and microseconds of a time (floor division: defined for
    /// every Int64), the parts every timestamp text is made of.
    package static func fields(microseconds: Int64) -> (date: String, time: String, micros: Int64) {
        let perDay: Int64 = 86_400_000_000
        var days = microseconds / perDay
        var rest = microseconds % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (y, m, d) = civil(days)
        let seconds = rest / 1_000_000
        return (
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))",
            "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))", rest % 1_000_000
        )
    }

    /// `v` in decimal, zero-padded on the left to `width` digits.
    package static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Howard Hinnant's `civil_from_days`: the (year, month, day) of a day count since 1970-01-01 (day counts
    /// within 719,468 of `Int64.max`, far past any timestamp, give the date of the last day that fits).
    package static func civil(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = min(z0, Int64.max - 719_468) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's `days_from_civil`.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
