import DriftAgent
import DriftConfig
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresDriver
import Testing

/// `docs/openapi.yaml`, the document `GET /openapi.json` serves, and the router agree.
@Suite struct OpenAPIDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A router over a pool that is never used (no route is called that reaches the database).
    static func router() throws -> Router<BasicRequestContext> {
        let configuration = try ConfigurationLoader.load(
            yaml: "auth:\n  tokens: [{env: TEST_TOKEN}]\nmodels:\n  m: {task: binary, features: {x: numeric}}\n",
            file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: "postgresql://nobody@127.0.0.1:1/none"), size: 1)
        return buildRouter(AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"]))
    }

    /// The operations of the embedded document, as `METHOD /path` (`GET /v1/models/{model}`).
    static func documentedOperations() throws -> Set<String> {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        return Set(
            paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
    }

    /// The router's routes, as `METHOD /path`.
    static func routedOperations() throws -> Set<String> {
        Set(try router().routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    @Test func embeddedDocumentIsDocsOpenAPIYAML() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        #expect(
            OpenAPIDocument.sourceYAML == text.trimmingCharacters(in: .newlines),
            "docs/openapi.yaml changed: run scripts/embed-openapi.py")
    }

    @Test func everyRouteIsInTheDocument() throws {
        let missing = try Self.routedOperations().subtracting(Self.documentedOperations())
        #expect(missing.isEmpty, "routes missing from docs/openapi.yaml: \(missing.sorted())")
    }

    @Test func everyDocumentedOperationIsARoute() throws {
        let missing = try Self.documentedOperations().subtracting(Self.routedOperations())
        #expect(missing.isEmpty, "documented but not routed: \(missing.sorted())")
    }

    @Test func theDocumentIsServedWithoutAToken() async throws {
        let app = Application(router: try Self.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: response.body) == OpenAPIDocument.json + "\n")
            }
        }
    }
}
