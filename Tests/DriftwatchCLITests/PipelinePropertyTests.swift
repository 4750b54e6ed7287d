import DriftCore
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import PostgresDriver
import PropertyBased
import Testing

/// Generated events with extreme values — ±0, subnormals, ±1.7e308, integers past 2^53, NaN and Infinity
/// literals, NUL and invalid UTF-8 in every string field, times at the edges of the years and beyond the
/// skew — for every drift method and binning mode, through a real agent: ingest → window close → status →
/// report → series (issue 15). After each case: the process is alive, every acknowledged event is stored
/// exactly once, every refused line is the one the case predicts (with its line, and its field when the
/// line is JSON), and the report and series are well-formed.
@Suite struct PipelinePropertyTests {
    static let cases = 20
    static let hour: Int64 = 3_600_000_000
    static let models = ["quantile", "evidently", "nannyml", "noref"]

    /// One generated line: choices of each field (indexes into the tables below).
    struct LineChoice {
        var id: Int
        var time: Int
        var x: Int
        var c: Int
        var prediction: Int
    }

    /// JSON text (as bytes) of each choice and whether it is accepted; `nil` field: the line is not JSON.
    static let ids: [([UInt8], String??)] = [
        (Array(#""ok""#.utf8), .some(nil)), (Array(#""nul\u0000""#.utf8), "id"),
        (Array(#""bad"#.utf8) + [0xC3, 0x28] + Array(#"""#.utf8), .none), (Array("12345".utf8), .some(nil)),
    ]
    static let xs: [(String, String??)] = [
        ("0", .some(nil)), ("-0.0", .some(nil)), ("5e-324", .some(nil)), ("2.2250738585072014e-308", .some(nil)),
        ("1.7e308", .some(nil)), ("-1.7e308", .some(nil)), ("1.7976931348623157e308", .some(nil)),
        ("9007199254740993", .some(nil)), ("18446744073709551616", .some(nil)), ("1e300", .some(nil)),
        ("null", .some(nil)), ("NaN", .none), ("Infinity", .none), ("1e400", .none), (#""x""#, "features.x"),
    ]
    static let cs: [([UInt8], String??)] = [
        (Array(#""a""#.utf8), .some(nil)), (Array(#""b\u0000c""#.utf8), "features.c"),
        (Array(#"""#.utf8) + [0xFF] + Array(#"""#.utf8), .none), (Array("true".utf8), .some(nil)),
        (Array(#""\#(String(repeating: "z", count: 300))""#.utf8), .some(nil)),
    ]
    static let predictions: [(String, String??)] = [
        ("1", .some(nil)), ("0", .some(nil)), (#""\u0000""#, "prediction"), ("[1]", "prediction"),
    ]
    /// Time choices: 0 is the case's own hour; the rest are refused on `timestamp`.
    static let times = [
        "", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "0000-01-01T00:30:00+01:00", "ahead",
        "2026-02-30T00:00:00Z",
    ]

    /// A choice among `count` from a draw in 0..<3·count: the first (an ordinary value) two times in three,
    /// so most cases hold accepted lines next to refused ones.
    static func pick(_ draw: Int, _ count: Int) -> Int { draw < count ? draw : 0 }

    static let generator = zip(
        Gen.int(in: 0..<(3 * ids.count)), Gen.int(in: 0..<(3 * times.count)), Gen.int(in: 0..<(3 * xs.count)),
        Gen.int(in: 0..<(3 * cs.count)), Gen.int(in: 0..<(3 * predictions.count))
    ).map {
        LineChoice(
            id: pick($0, ids.count), time: pick($1, times.count), x: pick($2, xs.count), c: pick($3, cs.count),
            prediction: pick($4, predictions.count))
    }.array(of: 1...8)

    /// The line's bytes, and nil when it is accepted, else the field it is refused on (nil inside: no JSON).
    static func line(_ choice: LineChoice, id: String, time: Int64, now: Int64) -> ([UInt8], String??) {
        var stamp = times[choice.time]
        if choice.time == 0 { stamp = RFC3339.text(microseconds: time) }
        if stamp == "ahead" { stamp = RFC3339.text(microseconds: now + 3 * hour) }
        var bytes = Array(#"{"id": "#.utf8)
        let idBytes = choice.id == 0 ? Array(#""\#(id)""#.utf8) : ids[choice.id].0
        bytes += choice.id == 3 ? Array(#""\#(id)_n""#.utf8) : idBytes
        bytes += Array(#", "timestamp": "\#(stamp)", "features": {"x": \#(xs[choice.x].0), "c": "#.utf8)
        bytes += cs[choice.c].0
        bytes += Array(#"}, "prediction": \#(predictions[choice.prediction].0), "score": 0.25}"#.utf8)
        // What the agent must answer: a line that is not JSON first, then fields in the decoder's order.
        let problems: [String??] = [
            ids[choice.id].1, cs[choice.c].1, xs[choice.x].1, predictions[choice.prediction].1,
        ]
        if problems.contains(where: { $0 == .none }) { return (bytes, .some(.none)) }
        if choice.id == 1 { return (bytes, "id") }
        // Times that are no timestamp are refused while decoding; valid ones out of bounds after it.
        if choice.time == 3 || choice.time == 5 { return (bytes, "timestamp") }
        for field in [xs[choice.x].1, cs[choice.c].1, predictions[choice.prediction].1] {
            if case .some(.some(let name)) = field { return (bytes, .some(name)) }
        }
        return (bytes, choice.time == 0 ? nil : "timestamp")
    }

    static let referenceCSV =
        "x,c,prediction,score\n"
        + (0..<400).map { "\(Double($0 % 97) * 1.5),\($0 % 3 == 0 ? "a" : "true"),\($0 % 2),0.5" }
        .joined(separator: "\n")

    static let modelsYAML = """
          quantile: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s, reference: {file: reference.csv}, drift: {binning: quantile, numeric_methods: [ks, psi, jensen_shannon, wasserstein, wasserstein_normed, hellinger], categorical_methods: [chi_square, psi, jensen_shannon, hellinger]}}
          evidently: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s, reference: {file: reference.csv}, drift: {binning: evidently, numeric_methods: [ks, psi, jensen_shannon, wasserstein, wasserstein_normed, hellinger], categorical_methods: [chi_square, psi, jensen_shannon, hellinger]}}
          nannyml: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s, reference: {file: reference.csv}, drift: {binning: nannyml, numeric_methods: [ks, psi, jensen_shannon, wasserstein, wasserstein_normed, hellinger], categorical_methods: [chi_square, psi, jensen_shannon, hellinger]}}
          noref: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s}
        """

    @Test func generatedExtremeEventsNeverKnockTheAgentOverNorLoseOrDoubleAnAcknowledgedEvent() async throws {
        let url = try TestCluster.createDatabase(prefix: "pipeline_property")
        let agent = try await AgentProcess(
            name: "pipeline-property", models: Self.modelsYAML, server: "window_check_interval: 1s",
            files: ["reference.csv": Self.referenceCSV], environment: ["AGENT_TEST_NO_DATABASE_URL": url])
        defer { agent.stop() }
        let database = try PostgresConnection(configuration: PostgresConfiguration(url: url))
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000
        let first = now - now % Self.hour - Int64(Self.cases + 2) * Self.hour
        var rng = Xoshiro(seed: (0x4472_6966_7477, 0x6174_6368, 15, 2026))
        var stored = [String: Int]()
        var lines = 0
        for k in 0..<Self.cases {
            let choices = Self.generator.run(using: &rng)
            let hour = first + Int64(k) * Self.hour
            for model in Self.models {
                var body: [UInt8] = []
                var expected: [(line: Int, field: String?)] = []
                for (i, choice) in choices.enumerated() {
                    let (bytes, outcome) = Self.line(
                        choice, id: "k\(k)_\(i)", time: hour + Int64(i) * 1_000_000, now: now)
                    body += bytes + [0x0A]
                    if let outcome { expected.append((i + 1, outcome)) }
                }
                lines += choices.count
                let reply = try #require(await agent.post("/v1/models/\(model)/predictions", data: Data(body)))
                #expect(reply.0 == 200, "case \(k), \(model): \(reply.1)")
                let tally = try JSONObject(parsing: reply.1)
                let accepted = try #require(tally.int("accepted"), "case \(k), \(model): no tally in \(reply.1)")
                let rejected = try #require(tally.objects("rejected"), "case \(k), \(model): no tally in \(reply.1)")
                #expect(accepted == choices.count - expected.count, "case \(k), \(model): \(reply.1)")
                let answered = rejected.map { ($0.int("line") ?? 0, $0.string("field")) }
                #expect(
                    answered.map(\.0) == expected.map(\.line) && answered.map(\.1) == expected.map(\.field),
                    "case \(k), \(model): expected \(expected), got \(reply.1)")
                stored[model, default: 0] += accepted
            }
            #expect(agent.process.isRunning, "case \(k): \(agent.log)")
            for model in Self.models {
                let rows = try database.query(
                    "SELECT count(*) FROM predictions p JOIN models m USING (model_id) WHERE m.name = $1",
                    [.string(model)],
                    purpose: "count")
                #expect(try rows.scalar(Int.self, purpose: "count") == stored[model, default: 0], "case \(k), \(model)")
            }
        }
        // Traffic stops: the last windows close by themselves; every model's status, report and series answer.
        for model in Self.models {
            let status = try await agent.wait("/v1/models/\(model)/status", seconds: 180) {
                $0.contains(#""last_closed_window":{"#)
            }
            #expect(status != nil, "\(model): \(agent.log)")
            let report = await agent.get("/v1/models/\(model)/report")
            #expect(report?.0 == 200 && report?.1.hasSuffix("</html>\n") == true, "\(model)")
            for metric in ["drift_statistic", "p_value", "volume", "missing_rate"] {
                let series = await agent.get("/v1/models/\(model)/metrics?metric=\(metric)")
                #expect(series?.0 == 200, "\(model) \(metric)")
                #expect((try? JSONValue.parse(series?.1 ?? "")) != nil, "\(model) \(metric): \(series?.1 ?? "")")
            }
        }
        #expect(agent.process.isRunning, "\(agent.log)")
        #expect(lines >= Self.cases)
        #expect(Self.models.allSatisfy { stored[$0, default: 0] > 0 }, "\(stored)")
    }
}
