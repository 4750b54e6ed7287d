import PostgresDriver
import Testing

@testable import DriftStore

@Suite struct PostgresTimestampTests {
    @Test func formatsUTCTimestamps() {
        #expect(PostgresTimestamp.text(microseconds: 0) == "1970-01-01 00:00:00.000000+00")
        #expect(PostgresTimestamp.text(microseconds: 1_763_856_000_123_456) == "2025-11-23 00:00:00.123456+00")
        #expect(PostgresTimestamp.text(microseconds: -1) == "1969-12-31 23:59:59.999999+00")
        #expect(PostgresTimestamp.text(microseconds: 951_782_400_000_000) == "2000-02-29 00:00:00.000000+00")
        #expect(PostgresTimestamp.day(microseconds: -1) == -1)
        #expect(PostgresTimestamp.dateText(day: 20_415) == "2025-11-23")
    }
}

@Suite struct PostgresTimestampExtremesTests {
    @Test func theDayOfAnyInt64IsItsFloor() {
        #expect(PostgresTimestamp.day(microseconds: Int64.min) == Int64.min / 86_400_000_000 - 1)
        #expect(PostgresTimestamp.day(microseconds: Int64.max) == Int64.max / 86_400_000_000)
        #expect(PostgresTimestamp.day(microseconds: -86_400_000_000) == -1)
        #expect(PostgresTimestamp.day(microseconds: -86_400_000_001) == -2)
    }

    @Test func theDateTextOfAnyDayIsDefined() {
        #expect(PostgresTimestamp.dateText(day: Int64.max).count >= 10)
        #expect(PostgresTimestamp.dateText(day: Int64.min).hasPrefix("-"))
        #expect(PostgresTimestamp.text(microseconds: Int64.min).hasSuffix("+00"))
    }
}
