import DriftAgent
import DriftConfig
import DriftCore
import DriftReport
import DriftStats
import DriftStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The model report served by the agent: well-formed, self-contained, every name escaped, and the figures
/// it prints are the stored ones.
@Suite struct ReportTests {
    static let evil = "<script>alert(1)</script>"

    @Test func theReportIsWellFormedEscapedAndPrintsTheStoredFigures() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: """
                auth: {enabled: false}
                models:
                  credit:
                    task: binary
                    features: {"\(Self.evil)": numeric, "\\"><img src=x onerror=alert(1)>": categorical}
                    window: 1h
                    allowed_lateness: 1m
                    rules:
                      - {name: shift, metric: drift_statistic, method: psi, when: "> 0.2"}
                """, file: "report.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try AgentTestDatabase.fresh("report")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        var rng = SplitMix64(seed: 11)
        let x = #"<script>alert(1)</script>"#
        let c = #"\"><img src=x onerror=alert(1)>"#
        var reference = [#"{"\#(x)": 0, "\#(c)": "a"}"#]
        for _ in 0..<400 {
            reference.append(#"{"\#(x)": \#(rng.nextGaussian()), "\#(c)": "\#(rng.nextUniform() < 0.5 ? "a" : "b")"}"#)
        }
        let eight: Int64 = 1_795_420_800_000_000
        var events: [String] = []
        for hour in 0..<3 {
            for i in 0..<150 {
                let t = RFC3339.text(microseconds: eight + Int64(hour) * 3_600_000_000 + Int64(i) * 20_000_000)
                events.append(
                    #"{"id": "e\#(hour)-\#(i)", "timestamp": "\#(t)", "features": {"\#(x)": \#(rng.nextGaussian() + Double(hour)), "\#(c)": "a"}, "prediction": 1, "score": 0.7, "latency_ms": \#(3 + i % 7)}"#
                )
            }
        }
        events.append(
            #"{"id": "push", "timestamp": "\#(RFC3339.text(microseconds: eight + 4 * 3_600_000_000))", "features": {"\#(x)": 0}}"#
        )
        let bodies = (
            ByteBuffer(string: reference.joined(separator: "\n")), ByteBuffer(string: events.joined(separator: "\n"))
        )
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        let html = try await Application(router: buildRouter(environment)).test(.router) { client -> String in
            let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]
            try await client.execute(uri: "/v1/models/credit/reference", method: .put, headers: ndjson, body: bodies.0)
            {
                #expect($0.status == .ok, "\(String(buffer: $0.body))")
            }
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: ndjson, body: bodies.1
            ) {
                #expect($0.status == .ok)
            }
            _ = await closer.tick()
            return try await client.execute(uri: "/v1/models/credit/report", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                return String(buffer: response.body)
            }
        }
        // Self-contained and escaped: no script, no external resource, the hostile names as text only.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        // Well-formed: it parses as XML.
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // The printed figures are the stored ones (as the report formats numbers).
        let rows = try await pool.withConnection(purpose: "read") { c in
            let id = try #require(try ModelStore.find(name: "credit", on: c)?.id)
            return try WindowMetricsStore.window(modelID: id, windowStart: eight + 2 * 3_600_000_000, on: c)
        }
        let psi = try #require(rows.first { $0.metric == "drift_statistic" && $0.feature == x && $0.method == "psi" })
        #expect(html.contains("<td class=\"num\">\(HTML.number(psi.value))</td>"))
        let volume = try #require(rows.first { $0.metric == "volume" })
        #expect(html.contains("<b>\(HTML.number(volume.value))</b>events"))
        #expect(html.contains("Dataset drift") || html.contains("No dataset drift"))
        #expect(html.contains("<svg"))
        #expect(html.contains("firing"))  // the alert the rule raised
        await pool.close()
    }
}
