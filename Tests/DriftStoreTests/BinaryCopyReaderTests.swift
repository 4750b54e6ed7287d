import DriftTestSupport
import PostgresDriver
import Testing

/// `copyOutBinary` reads PostgreSQL's binary COPY format back exactly, row by row.
@Suite struct BinaryCopyReaderTests {
    func connection(_ prefix: String) throws -> PostgresConnection {
        try PostgresConnection(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: prefix)))
    }

    @Test func specialFloatsNullsAndEmptyArraysReadBackExactly() throws {
        let c = try connection("copy_values")
        var rows: [([Double?], [String?], Double?, String?)] = []
        _ = try c.copyOutBinary(
            """
            COPY (SELECT a, t, s, p FROM (VALUES
                (ARRAY[1.5, 'NaN', 'Infinity', '-Infinity', '-0', NULL, 5e-324]::float8[], ARRAY['x', NULL, 'é€']::text[],
                 0.1::float8, 'cat'::text),
                ('{}'::float8[], '{}'::text[], NULL::float8, NULL::text)) AS v(a, t, s, p)) TO STDOUT (FORMAT binary)
            """, purpose: "test"
        ) { row in
            rows.append((try row.doubles(), try row.texts(), try row.double(), try row.text()))
        }
        try #require(rows.count == 2)
        let numbers = rows[0].0
        #expect(numbers.count == 7)
        #expect(numbers[0] == 1.5)
        #expect(numbers[1]?.isNaN == true)
        #expect(numbers[2] == .infinity && numbers[3] == -.infinity)
        #expect(numbers[4] == 0 && numbers[4]?.sign == .minus)
        #expect(numbers[5] == nil)
        #expect(numbers[6] == Double.leastNonzeroMagnitude)
        #expect(rows[0].1 == ["x", nil, "é€"])
        #expect(rows[0].2 == 0.1 && rows[0].3 == "cat")
        #expect(rows[1].0.isEmpty && rows[1].1.isEmpty && rows[1].2 == nil && rows[1].3 == nil)
    }

    @Test func timestampsReadBackAsUnixMicroseconds() throws {
        let c = try connection("copy_time")
        var times: [Int64?] = []
        _ = try c.copyOutBinary(
            "COPY (SELECT '2026-11-23 00:00:00.000001+00'::timestamptz) TO STDOUT (FORMAT binary)", purpose: "test"
        ) { row in times.append(try row.timestamp()) }
        #expect(times == [1_795_392_000_000_001])
    }

    @Test func anEmptyResultCallsNoRow() throws {
        let c = try connection("copy_empty")
        let count = try c.copyOutBinary(
            "COPY (SELECT 1::int8 WHERE false) TO STDOUT (FORMAT binary)", purpose: "test"
        ) { _ in Issue.record("no row expected") }
        #expect(count == 0)
    }

    @Test func aCopyAbandonedByItsCallerLeavesTheConnectionUsable() throws {
        struct Stop: Error {}
        let c = try connection("copy_abandon")
        #expect(throws: Stop.self) {
            _ = try c.copyOutBinary(
                "COPY (SELECT g::int8 FROM generate_series(1, 200000) g) TO STDOUT (FORMAT binary)", purpose: "test"
            ) { row in
                if try row.int64() == 10 { throw Stop() }
            }
        }
        let one = try c.query("SELECT 1::int8", purpose: "test").scalar(Int64.self, purpose: "test")
        #expect(one == 1)
    }
}
