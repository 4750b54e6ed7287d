import DriftCore
import DriftStore
import Hummingbird

/// `GET /healthz` (the process answers) and `GET /readyz` (the database is reachable and its schema
/// current), both without authentication.
struct HealthRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse.make(#"{"status":"ok"}"#) }
        router.get("readyz") { _, _ in try await readiness() }
    }

    func readiness() async throws -> Response {
        let pending: [String]
        do {
            pending = try await environment.pool.withConnection(purpose: "check readiness") { connection in
                try MigrationRunner().pending(on: connection)
            }
        } catch {
            throw APIError(
                .serviceUnavailable, code: .databaseUnavailable, message: "the database is not reachable",
                headers: [.retryAfter: "5"])
        }
        guard pending.isEmpty else {
            throw APIError(
                .serviceUnavailable, code: .migrationsPending,
                message: "pending migrations: \(pending.joined(separator: ", ")) (run driftwatch migrate)")
        }
        return JSONResponse.make(#"{"status":"ready"}"#)
    }
}
