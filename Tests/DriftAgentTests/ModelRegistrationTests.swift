import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

/// Models registered through the API and automatically, known to a second agent on the same database.
@Suite struct ModelRegistrationTests {
    static let headers: HTTPFields = [.contentType: "application/json"]

    func environment(url: String, autoRegister: Bool) async throws -> AgentEnvironment {
        let yaml = """
            auth: {enabled: false}
            defaults: {retention: 36500d, auto_register: \(autoRegister), window: 1h, allowed_lateness: 1m}
            models:
              fixed: {task: binary, features: {x: numeric}}
            """
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
    }

    static let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]

    /// PUTs the model `churn` (tenure numeric, plan categorical, 30-minute windows) and expects it taken.
    func registerChurn(_ client: some TestClientProtocol) async throws {
        try await client.execute(
            uri: "/v1/models/churn", method: .put, headers: Self.headers,
            body: ByteBuffer(
                string:
                    #"{"task": "binary", "features": {"tenure": "numeric", "plan": "categorical"}, "window": "30m"}"#
            )
        ) { response in
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains(#""window_seconds":1800"#))
        }
    }

    @Test func anUnknownModelIsNotFoundWhileAutoRegistrationIsOff() async throws {
        let environment = try await environment(
            url: try TestCluster.createDatabase(prefix: "models"), autoRegister: false)
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/churn/predictions", method: .post, headers: Self.ndjson,
                body: ByteBuffer(string: #"{"id": "1", "timestamp": "2026-11-23T08:00:00Z", "features": {}}"#)
            ) { #expect($0.status == .notFound) }
        }
        await environment.pool.close()
    }

    @Test func aModelRegisteredThroughTheAPIIngests() async throws {
        let environment = try await environment(
            url: try TestCluster.createDatabase(prefix: "models"), autoRegister: false)
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await registerChurn(client)
            try await client.execute(
                uri: "/v1/models/churn/predictions", method: .post, headers: Self.ndjson,
                body: ByteBuffer(
                    string:
                        #"{"id": "1", "timestamp": "2026-11-23T08:00:00Z", "features": {"tenure": 3, "plan": "pro"}}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""accepted":1"#))
            }
        }
        await environment.pool.close()
    }

    @Test func badModelSettingsAreRefusedNamingTheirPlace() async throws {
        let environment = try await environment(
            url: try TestCluster.createDatabase(prefix: "models"), autoRegister: false)
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/churn2", method: .put, headers: Self.headers,
                body: ByteBuffer(string: "{\"task\": \"binary\",\n \"features\": {\"tenure\": \"numbr\"}}")
            ) { response in
                #expect(response.status == .badRequest)
                let text = String(buffer: response.body)
                #expect(text.contains(#""field":"models.churn2.features.tenure""#), "\(text)")
                #expect(text.contains(#""line":2"#), "\(text)")
            }
            try await client.execute(
                uri: "/v1/models/churn3", method: .put, headers: Self.headers,
                body: ByteBuffer(
                    string:
                        #"{"task": "binary", "features": {"t": "numeric"}, "rules": [{"name": "r", "metric": "f1", "when": "< 1", "receivers": ["nobody"]}]}"#
                )
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("nobody"))
            }
        }
        await environment.pool.close()
    }

    @Test func aModelDefinedOtherwiseAlreadyIsAConflict() async throws {
        let environment = try await environment(
            url: try TestCluster.createDatabase(prefix: "models"), autoRegister: false)
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await registerChurn(client)
            // The configured model, and the registered one with other features.
            try await client.execute(
                uri: "/v1/models/fixed", method: .put, headers: Self.headers,
                body: ByteBuffer(string: #"{"task": "binary", "features": {"x": "numeric"}}"#)
            ) { #expect($0.status == .conflict) }
            try await client.execute(
                uri: "/v1/models/churn", method: .put, headers: Self.headers,
                body: ByteBuffer(string: #"{"task": "binary", "features": {"tenure": "categorical"}}"#)
            ) { #expect($0.status == .conflict) }
        }
        await environment.pool.close()
    }

    /// Another agent (or this one restarted) knows the registered model from the database.
    @Test func aModelRegisteredThroughTheAPIIsKnownToAnotherAgent() async throws {
        let url = try TestCluster.createDatabase(prefix: "models")
        let environment = try await environment(url: url, autoRegister: false)
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await registerChurn(client)
        }
        await environment.pool.close()
        let other = try await self.environment(url: url, autoRegister: false)
        try await Application(router: buildRouter(other)).test(.router) { client in
            try await client.execute(uri: "/v1/models", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#""name":"churn""#), "\(text)")
                #expect(text.contains(#""name":"plan","type":"categorical""#), "\(text)")
            }
        }
        let closer = WindowCloser(environment: other, interval: .seconds(1), logger: Logger(label: "t"))
        _ = await closer.tick()
        #expect(await other.models.all().map(\.name) == ["fixed", "churn"])
        await other.pool.close()
    }

    @Test func autoRegistrationInfersTheSchemaFromTheFirstEvent() async throws {
        let environment = try await environment(
            url: try TestCluster.createDatabase(prefix: "models"), autoRegister: true)
        try await Application(router: buildRouter(environment)).test(.router) { client in
            let lines = [
                #"{"id": "0", "oops"#,
                #"{"id": "1", "timestamp": "2026-11-23T08:00:00Z", "features": {"amount": 12.5, "city": "Oslo", "vip": true, "gone": null}, "prediction": 1, "score": 0.9}"#,
                #"{"id": "2", "timestamp": "2026-11-23T08:01:00Z", "features": {"amount": "many"}}"#,
            ]
            try await client.execute(
                uri: "/v1/models/new_model/predictions", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: lines.joined(separator: "\n"))
            ) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#""accepted":1"#), "\(text)")
                #expect(text.contains(#""rejected_count":2"#), "\(text)")
            }
            try await client.execute(uri: "/v1/models/new_model", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#""task":"binary""#))
                #expect(text.contains(#"{"name":"amount","type":"numeric""#), "\(text)")
                #expect(text.contains(#"{"name":"city","type":"categorical""#))
                #expect(text.contains(#"{"name":"vip","type":"categorical""#))
                #expect(!text.contains("gone"))
            }
        }
        await environment.pool.close()
    }
}
