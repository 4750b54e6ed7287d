import DriftAgent
import DriftConfig
import DriftCore
import DriftStats
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every panel of the Grafana dashboards in `Dashboards/` runs against a database the agent filled (macros
/// and variables expanded as Grafana's PostgreSQL data source does) and returns rows; the committed JSON is
/// what `Dashboards/generate.py` writes.
@Suite struct DashboardQueryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `$__timeFilter(col)`, `$__timeGroupAlias(col, 'interval')` and `$model`, as Grafana expands them.
    static func expand(_ sql: String, model: String) throws -> String {
        var text = sql.replacingOccurrences(of: "$model", with: model)
        let filter = try Regex(#"\$__timeFilter\(([^)]+)\)"#)
        text = text.replacing(filter) { match in
            "\(match.output[1].substring ?? "") BETWEEN '2000-01-01T00:00:00Z' AND '2100-01-01T00:00:00Z'"
        }
        let group = try Regex(#"\$__timeGroupAlias\(([^,]+),\s*'(\d+)h'\)"#)
        text = text.replacing(group) { match in
            let seconds = (Int(match.output[2].substring ?? "1") ?? 1) * 3600
            return "floor(extract(epoch from \(match.output[1].substring ?? ""))/\(seconds))*\(seconds) AS \"time\""
        }
        return text
    }

    func fill() async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(
            yaml: """
                auth: {enabled: false}
                defaults: {retention: 36500d}  # fixed-date events stay within retention
                models:
                  credit:
                    task: binary
                    features: {x: numeric, region: categorical}
                    window: 1h
                    allowed_lateness: 1m
                    rules:
                      - {name: x_psi, metric: drift_statistic, feature: x, method: psi, when: "> 0.2"}
                """, file: "grafana.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "grafana")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        var rng = SplitMix64(seed: 5)
        let eight: Int64 = 1_795_420_800_000_000
        var reference = ["x,region"]
        for _ in 0..<500 { reference.append("\(rng.nextGaussian()),\(["n", "s"][Int(rng.nextUniform() * 2)])") }
        var events: [String] = []
        var labels: [String] = []
        for hour in 0..<4 {
            for i in 0..<200 {
                let t = RFC3339.text(microseconds: eight + Int64(hour) * 3_600_000_000 + Int64(i) * 15_000_000)
                let x = rng.nextGaussian() + (hour >= 2 ? 2 : 0)
                let p = rng.nextUniform() > 0.5 ? 1 : 0
                events.append(
                    #"{"id": "e\#(hour)-\#(i)", "timestamp": "\#(t)", "features": {"x": \#(x), "region": \#(i % 3 == 0 ? "null" : "\"n\"")}, "prediction": \#(p), "score": 0.5, "latency_ms": \#(5 + i % 20)}"#
                )
                labels.append(#"{"id": "e\#(hour)-\#(i)", "label": \#(i % 4 == 0 ? 1 - p : p)}"#)
            }
        }
        events.append(
            #"{"id": "push", "timestamp": "\#(RFC3339.text(microseconds: eight + 5 * 3_600_000_000))", "features": {"x": 0}}"#
        )
        let bodies = (
            ByteBuffer(string: reference.joined(separator: "\n")), ByteBuffer(string: events.joined(separator: "\n")),
            ByteBuffer(string: labels.joined(separator: "\n"))
        )
        let late = ByteBuffer(
            string:
                #"{"id": "late", "timestamp": "\#(RFC3339.text(microseconds: eight + 60_000_000))", "features": {"x": 1}}"#
        )
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        try await Application(router: buildRouter(environment)).test(.router) { client in
            let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]
            try await client.execute(
                uri: "/v1/models/credit/reference", method: .put, headers: [.contentType: "text/csv"], body: bodies.0
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: ndjson, body: bodies.1
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/models/credit/labels", method: .post, headers: ndjson, body: bodies.2) {
                #expect($0.status == .ok)
            }
            _ = await closer.tick()
            try await client.execute(uri: "/v1/models/credit/predictions", method: .post, headers: ndjson, body: late) {
                #expect($0.status == .ok)
            }
            _ = await closer.tick()
        }
        return environment
    }

    @Test func everyPanelQueryReturnsRows() async throws {
        let environment = try await fill()
        var checked = 0
        for file in ["driftwatch-fleet.json", "driftwatch-model.json"] {
            let board = try JSONObject(contentsOfFile: Self.root + "/Dashboards/" + file)
            #expect(board.string("uid") == file.replacingOccurrences(of: ".json", with: ""))
            #expect(board.int("schemaVersion") == 39)
            var queries: [(String, String)] = []
            for panel in try #require(board.objects("panels")) {
                for target in panel.objects("targets") ?? [] {
                    queries.append((panel.string("title") ?? "?", try #require(target.string("rawSql"))))
                }
            }
            for variable in try #require(board.object("templating")?.objects("list")) {
                queries.append(("variable \(variable.string("name") ?? "")", try #require(variable.string("query"))))
            }
            for (title, sql) in queries {
                let expanded = try Self.expand(sql, model: "credit")
                let rows = try await environment.pool.withConnection(purpose: "panel") {
                    try $0.query(expanded, purpose: "panel \(title)").count
                }
                #expect(rows > 0, "\(file): \(title) returned no rows:\n\(expanded)")
                checked += 1
            }
        }
        #expect(checked == 15)
        await environment.pool.close()
    }

    @Test func theCommittedDashboardsAreWhatTheGeneratorWrites() throws {
        let out = "/tmp/driftwatch-dashboards-\(getpid())"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", Self.root + "/Dashboards/generate.py", out]
        python.standardOutput = FileHandle.nullDevice
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        for file in ["driftwatch-fleet.json", "driftwatch-model.json"] {
            let committed = try String(contentsOfFile: Self.root + "/Dashboards/" + file, encoding: .utf8)
            let generated = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(committed == generated, "\(file) differs from Dashboards/generate.py's output: run it")
        }
    }
}
