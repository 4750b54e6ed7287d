import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresDriver
import Testing

@Suite struct AgentRouterTests {
    static let yaml = """
        auth:
          tokens: [{env: TEST_TOKEN}]
        defaults: {retention: 36500d}  # fixed-date events stay within retention
        models:
          credit:
            task: binary
            features: {income: numeric, region: categorical}
        """

    func environment(migrated: Bool = true, url: String? = nil) async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml, file: "test.yaml")
        let databaseURL = try url ?? TestCluster.createDatabase(prefix: "router")
        let pool = PostgresPool(configuration: PostgresConfiguration(url: databaseURL), size: 2)
        if migrated {
            try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"])
    }

    /// A reply body read as a JSON object (nil when it is not one).
    func json(_ buffer: ByteBuffer) -> JSONObject? { try? JSONObject(parsing: String(buffer: buffer)) }

    @Test func healthNeedsNoToken() async throws {
        let app = Application(router: buildRouter(try await environment()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response.body)?.string("status") == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func aBodyOverItsLimitIsAnsweredAsAJSONError() async throws {
        let app = Application(router: buildRouter(try await environment()))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/big", method: .put,
                headers: [.authorization: "Bearer s3cret", .contentType: "application/json"],
                body: ByteBuffer(repeating: UInt8(ascii: " "), count: 2 << 20)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(json(response.body)?.object("error")?.string("code") == "body_too_large")
            }
        }
    }

    @Test func aVersionBeyond32BitsIsABadRequest() async throws {
        let app = Application(router: buildRouter(try await environment()))
        try await app.test(.router) { client in
            for method in [HTTPRequest.Method.get, .post] {
                let uri = "/v1/models/credit/versions/579359014123" + (method == .post ? "/promote" : "")
                try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer s3cret"]) {
                    #expect($0.status == .badRequest)
                    #expect(json($0.body)?.object("error")?.string("field") == "version")
                }
            }
        }
    }

    @Test func theAPIRequiresABearerToken() async throws {
        let app = Application(router: buildRouter(try await environment()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/models", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(json(response.body)?.object("error")?.string("code") == "unauthorized")
            }
            try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer wrong"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer s3cret"]) {
                response in
                #expect(response.status == .ok)
                let models = try #require(json(response.body)?.objects("models"))
                #expect(models.map { $0.string("name") } == ["credit"])
                #expect(models.first?.array("features")?.count == 2)
            }
        }
    }

    @Test func readinessReportsPendingMigrations() async throws {
        let unmigrated = Application(router: buildRouter(try await environment(migrated: false)))
        try await unmigrated.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(json(response.body)?.object("error")?.string("code") == "migrations_pending")
            }
        }
    }

    @Test func readinessReportsAnUnreachableDatabase() async throws {
        let unreachable = Application(
            router: buildRouter(
                try await environment(migrated: false, url: "postgresql:///nodb?host=/nonexistent&port=1")))
        try await unreachable.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                #expect(json(response.body)?.object("error")?.string("code") == "database_unavailable")
            }
        }
    }

    @Test func anUnreachableDatabaseIsAnswered503WithJSON() async throws {
        let url = try TestCluster.url(database: "no_such_database")
        let app = Application(router: buildRouter(try await environment(migrated: false, url: url)))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post,
                headers: [.authorization: "Bearer s3cret", .contentType: "application/x-ndjson"],
                body: ByteBuffer(string: #"{"id": "1", "timestamp": "2026-11-23T08:00:00Z", "features": {}}"#)
            ) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                #expect(json(response.body)?.object("error")?.string("code") == "database_unavailable")
            }
        }
    }
}
