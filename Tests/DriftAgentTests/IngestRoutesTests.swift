import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresDriver
import Testing

@Suite struct IngestRoutesTests {
    static let yaml = """
        server: {max_line_bytes: 4096}
        auth:
          tokens: [{env: TEST_TOKEN}]
        defaults: {retention: 36500d}  # fixed-date events stay within retention
        models:
          credit:
            task: binary
            features: {income: numeric, age: numeric, region: categorical}
        """
    static let auth: HTTPFields = [.authorization: "Bearer s3cret", .contentType: "application/x-ndjson"]

    func environment() async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "ingest")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"])
    }

    /// A reply body read as a JSON object (nil when it is not one).
    func json(_ buffer: ByteBuffer) -> JSONObject? { try? JSONObject(parsing: String(buffer: buffer)) }

    static func line(_ i: Int) -> String {
        let minute = String(format: "%02d", i % 60)
        return
            #"{"id": "p\#(i)", "timestamp": "2026-11-23T08:\#(minute):00Z", "features": {"income": \#(Double(i) * 1.5), "age": \#(20 + i % 50), "region": "r\#(i % 4)"}, "prediction": \#(i % 2), "score": 0.\#(i % 10), "latency_ms": 3.5}"#
    }

    func stored(_ environment: AgentEnvironment) async throws -> Int {
        try await environment.pool.withConnection(purpose: "count") {
            try $0.query("SELECT count(*) FROM predictions", purpose: "count").scalar(Int.self, purpose: "count") ?? 0
        }
    }

    @Test func oneBadLineAmongTenThousandKeepsTheOthers() async throws {
        let environment = try await environment()
        var lines = (0..<10_000).map(Self.line)
        lines[4_321] = #"{"id": "bad", "timestamp": "2026-11-23T08:00:00Z", "features": {"income": "lots"}}"#
        let body = ByteBuffer(string: lines.joined(separator: "\n") + "\n")
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.auth, body: body
            ) {
                response in
                #expect(response.status == .ok)
                let reply = try #require(json(response.body))
                #expect(reply.int("accepted") == 9_999)
                #expect(reply.int("duplicates") == 0)
                #expect(reply.int("rejected_count") == 1)
                let rejected = try #require(reply.objects("rejected")?.first)
                #expect(rejected.int("line") == 4_322)
                #expect(rejected.string("field") == "features.income")
            }
        }
        #expect(try await stored(environment) == 9_999)
        await environment.pool.close()
    }

    @Test func aRetriedBatchIsCountedAsDuplicates() async throws {
        let environment = try await environment()
        var lines = (0..<100).map(Self.line)
        lines[43] = #"{"id": "bad", "timestamp": "2026-11-23T08:00:00Z", "features": {"income": "lots"}}"#
        let body = ByteBuffer(string: lines.joined(separator: "\n") + "\n")
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.auth, body: body
            ) { #expect(json($0.body)?.int("accepted") == 99) }
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.auth, body: body
            ) {
                response in
                let reply = try #require(json(response.body))
                #expect(reply.int("accepted") == 99)
                #expect(reply.int("duplicates") == 99)
            }
        }
        #expect(try await stored(environment) == 99)
        await environment.pool.close()
    }

    @Test func featuresAreStoredInTheModelsOrder() async throws {
        let environment = try await environment()
        let body = ByteBuffer(string: (0..<10).map(Self.line).joined(separator: "\n") + "\n")
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.auth, body: body
            ) { #expect($0.status == .ok) }
        }
        // The features come back in the model's order, the category as text.
        let row = try await environment.pool.withConnection(purpose: "read") {
            try $0.query(
                "SELECT numeric_features[1], numeric_features[2], category_features[1], prediction FROM predictions WHERE prediction_id = 'p7'",
                purpose: "read")
        }
        #expect(try row.value(0, 0, as: Double.self, purpose: "t") == 10.5)
        #expect(try row.value(0, 1, as: Double.self, purpose: "t") == 27)
        #expect(try row.value(0, 2, as: String.self, purpose: "t") == "r3")
        #expect(try row.value(0, 3, as: String.self, purpose: "t") == "1")
        await environment.pool.close()
    }

    @Test func aJSONArrayBodyWorksToo() async throws {
        let environment = try await environment()
        let body = ByteBuffer(string: "[" + (0..<5).map(Self.line).joined(separator: ",") + ", 42]")
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post,
                headers: [.authorization: "Bearer s3cret", .contentType: "application/json"], body: body
            ) { response in
                let reply = try #require(json(response.body))
                #expect(reply.int("accepted") == 5)
                #expect(reply.objects("rejected")?.first?.int("line") == 6)
            }
        }
        await environment.pool.close()
    }

    @Test func refusalsStoreNothing() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        let body = ByteBuffer(string: Self.line(1) + "\n")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/models/credit/predictions", method: .post, body: body) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/models/nope/predictions", method: .post, headers: Self.auth, body: body)
            {
                response in
                #expect(response.status == .notFound)
                #expect(json(response.body)?.object("error")?.string("code") == "unknown_model")
            }
            let long = ByteBuffer(string: String(repeating: "x", count: 5000) + "\n")
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.auth, body: long
            ) {
                response in
                #expect(response.status == .contentTooLarge)
                #expect(json(response.body)?.object("error")?.int("line") == 1)
            }
        }
        #expect(try await stored(environment) == 0)
        await environment.pool.close()
    }

    @Test func lateLabelsJoinTheirPredictions() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        let predictions = ByteBuffer(string: (0..<10).map(Self.line).joined(separator: "\n"))
        let labels = ByteBuffer(
            string: """
                {"id": "p1", "label": 1}
                {"id": "p2", "label": "0", "timestamp": "2026-11-25T00:00:00Z"}
                {"id": "p3"}
                {"id": "p4", "label": true}
                """)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.auth, body: predictions
            ) {
                #expect(json($0.body)?.int("accepted") == 10)
            }
            try await client.execute(uri: "/v1/models/credit/labels", method: .post, headers: Self.auth, body: labels) {
                response in
                let reply = try #require(json(response.body))
                #expect(reply.int("accepted") == 3)
                #expect(reply.objects("rejected")?.first?.int("line") == 3)
            }
        }
        let joined = try await environment.pool.withConnection(purpose: "join") { c in
            let id = try ModelStore.find(name: "credit", on: c)?.id ?? 0
            return try LabelStore.joined(
                modelID: id, from: RFC3339.microseconds("2026-11-23T00:00:00Z") ?? 0,
                to: RFC3339.microseconds("2026-11-24T00:00:00Z") ?? 0, on: c)
        }
        #expect(joined.filter { $0.label != nil }.map(\.predictionID).sorted() == ["p1", "p2", "p4"])
        #expect(joined.first { $0.predictionID == "p4" }?.label == "true")
        await environment.pool.close()
    }
}

@Suite struct MetricsEndpointTests {
    /// The answer of `/metrics` (with the token or without) after 20 good lines and one bad one were posted.
    func metricsAfterIngest(token: Bool = true) async throws -> (HTTPResponse.Status, String) {
        let configuration = try ConfigurationLoader.load(yaml: IngestRoutesTests.yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "metrics")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let app = Application(
            router: buildRouter(AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"])))
        let body = ByteBuffer(string: (0..<20).map(IngestRoutesTests.line).joined(separator: "\n") + "\nnot json\n")
        let answer = try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: IngestRoutesTests.auth, body: body
            ) { #expect($0.status == .ok) }
            let headers: HTTPFields = token ? [.authorization: "Bearer s3cret"] : [:]
            return try await client.execute(uri: "/metrics", method: .get, headers: headers) {
                ($0.status, String(buffer: $0.body))
            }
        }
        await pool.close()
        return answer
    }

    @Test func prometheusTextCountsIngestedEventsPerOutcome() async throws {
        let (status, text) = try await metricsAfterIngest()
        #expect(status == .ok)
        #expect(
            text.contains(#"driftwatch_ingest_events_total{model="credit",kind="predictions",outcome="accepted"} 20"#),
            "\(text)")
        #expect(
            text.contains(#"driftwatch_ingest_events_total{model="credit",kind="predictions",outcome="rejected"} 1"#))
        #expect(text.contains("driftwatch_ingest_commit_duration_seconds_count"))
        #expect(!text.contains("p19"))  // never ids in labels
    }

    @Test func prometheusTextLabelsRequestsWithTheirRoute() async throws {
        let (status, text) = try await metricsAfterIngest()
        #expect(status == .ok)
        #expect(
            text.contains(#"route="/v1/models/{model}/predictions""#)
                || text.contains(#"route="/v1/models/:model/predictions""#), "\(text)")
    }

    @Test func metricsNeedAToken() async throws {
        let (status, _) = try await metricsAfterIngest(token: false)
        #expect(status == .unauthorized)
    }
}

@Suite struct SeriesRoutesTests {
    @Test func aStoredSeriesIsServedAsJSON() async throws {
        let configuration = try ConfigurationLoader.load(yaml: IngestRoutesTests.yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "series")), size: 2)
        let start = try #require(RFC3339.microseconds("2026-11-23T00:00:00Z"))
        let hour: Int64 = 3_600_000_000
        try await pool.withConnection(purpose: "seed") { c in
            try MigrationRunner().apply(on: c)
            let id = try ModelStore.register(name: "credit", task: "binary", on: c).id
            var rows: [WindowMetricsStore.Row] = []
            for h in 0..<6 {
                let windowStart: Int64 = start + Int64(h) * hour
                let windowEnd: Int64 = windowStart + hour
                let value: Double = Double(h) / 10
                rows.append(
                    WindowMetricsStore.Row(
                        windowStart: windowStart, windowEnd: windowEnd, metric: "drift_statistic", feature: "income",
                        method: "psi", value: value, threshold: 0.2, drift: h >= 2))
            }
            try WindowMetricsStore.upsert(rows, modelID: id, on: c)
        }
        let app = Application(
            router: buildRouter(AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"])))
        let auth: HTTPFields = [.authorization: "Bearer s3cret"]
        try await app.test(.router) { client in
            try await client.execute(
                uri:
                    "/v1/models/credit/metrics?metric=drift_statistic&feature=income&from=2026-11-23T01:00:00Z&to=2026-11-23T04:00:00Z",
                method: .get, headers: auth
            ) { response in
                #expect(response.status == .ok)
                let points = try #require(try JSONObject(parsing: String(buffer: response.body)).objects("points"))
                #expect(points.count == 3)
                #expect(points.first?.string("window_start") == "2026-11-23T01:00:00Z")
                #expect(points.map { $0.bool("drift") } == [false, true, true])
                #expect(points.last?.double("value") == 0.3)
            }
            try await client.execute(uri: "/v1/models/credit/metrics", method: .get, headers: auth) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(
                uri: "/v1/models/credit/metrics?metric=f1&from=yesterday", method: .get, headers: auth
            ) {
                #expect($0.status == .badRequest)
            }
        }
        await pool.close()
    }
}
