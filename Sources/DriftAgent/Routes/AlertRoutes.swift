import DriftCore
import DriftStore
import DriftTables
import Hummingbird

/// `GET /v1/alerts?state=open|all&model=`: alerts, newest first (open ones by default), with their labels,
/// annotations, the figure that was judged and their lifecycle.
struct AlertRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("alerts") { request, _ in try await list(request) }
    }

    func list(_ request: Request) async throws -> JSONReply<AlertList> {
        let query = try AlertQuery(request.uri.queryParameters)
        let modelID: Int64? =
            if let name = query.model { try await environment.resolveModel(name).1 } else { nil }
        let names = try await environment.pool.withConnection(purpose: "list models") {
            Dictionary(try ModelStore.list(on: $0).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        }
        let alerts = try await environment.pool.withConnection(purpose: "list alerts") {
            try AlertStore.alerts(modelID: modelID, openOnly: query.state == .open, limit: 1000, on: $0)
        }
        return JSONReply(AlertList(alerts: alerts, modelNames: names))
    }
}
