import DriftTables
import DriftTestSupport
import Testing

@testable import DriftCore
@testable import DriftTables

@Suite struct EventDecodingTests {
    @Test func rfc3339() {
        #expect(RFC3339.microseconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.microseconds("2025-11-23T00:00:00.123456Z") == 1_763_856_000_123_456)
        #expect(RFC3339.microseconds("2025-11-23T01:00:00+01:00") == 1_763_856_000_000_000)
        #expect(RFC3339.microseconds("2025-11-23 00:00:00.5z") == 1_763_856_000_500_000)
        #expect(RFC3339.microseconds("2000-02-29T00:00:00Z") == 951_782_400_000_000)
        for bad in ["2025-11-23", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "2025-11-23T00:00:00", "x"] {
            #expect(RFC3339.microseconds(bad) == nil, "\(bad)")
        }
    }

    @Test func jsonValuesParseExactly() throws {
        let v = try JSONValue.parse(#"{"a": [1, 0.05633075231960738, true, null], "b": {"c": "Z\u00fcrich"}}"#)
        #expect(v["a"] == .array([.number(1), .number(0.05633075231960738), .bool(true), .null]))
        #expect(v["b"]?["c"] == .string("Zürich"))
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse("{\"a\": 1,}") }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(String(repeating: "[", count: 100)) }
    }

    @Test func predictionEventsAreCheckedAgainstTheSchema() throws {
        let model = ModelConfiguration(
            name: "m", task: .binary,
            features: [.init(name: "x", type: .numeric), .init(name: "c", type: .categorical)],
            defaults: ModelDefaults())
        let decoder = PredictionEventDecoder(model: model)
        let good = try decoder.decode(
            JSONValue.parse(
                #"{"id": 7, "timestamp": "2026-01-01T00:00:00Z", "features": {"x": 1.5, "c": 3, "extra": "ignored"}, "scores": {"b": 0.25, "a": 0.75}}"#
            )
        ).get()
        #expect(good.id == "7")
        #expect(good.numeric == [1.5])
        #expect(good.categorical == ["3"])
        #expect(good.scoreLabels == ["b", "a"])
        let missing = try decoder.decode(JSONValue.parse(#"{"id": "a", "timestamp": "2026-01-01T00:00:00Z"}"#)).get()
        #expect(missing.numeric == [nil])
        for (text, field) in [
            (#"{"timestamp": "2026-01-01T00:00:00Z"}"#, "id"), (#"{"id": "a"}"#, "timestamp"),
            (#"{"id": "a", "timestamp": "yesterday"}"#, "timestamp"),
            (#"{"id": "a", "timestamp": "2026-01-01T00:00:00Z", "features": {"x": "1"}}"#, "features.x"),
            (#"{"id": "a", "timestamp": "2026-01-01T00:00:00Z", "latency_ms": -1}"#, "latency_ms"),
        ] {
            let problem = try #require(decoder.decode(try JSONValue.parse(text)).failure, "accepted \(text)")
            #expect(problem.field == field, "\(text)")
        }
    }
}
