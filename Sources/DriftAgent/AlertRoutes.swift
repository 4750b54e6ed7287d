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
        let query = request.uri.queryParameters
        let state = query.get("state") ?? "open"
        guard state == "open" || state == "all" else {
            throw APIError(.badRequest, code: .invalidParameter, message: "state is open or all", field: "state")
        }
        let modelID: Int64? =
            if let name = query.get("model") { try await environment.resolveModel(name).1 } else { nil }
        let names = try await environment.pool.withConnection(purpose: "list models") {
            Dictionary(try ModelStore.list(on: $0).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        }
        let alerts = try await environment.pool.withConnection(purpose: "list alerts") {
            try AlertStore.alerts(modelID: modelID, openOnly: state == "open", limit: 1000, on: $0)
        }
        return JSONReply(AlertList(alerts: alerts, modelNames: names))
    }
}

/// The reply of `GET /v1/alerts`.
struct AlertList: JSONWritable, Sendable {
    let alerts: [AlertStore.Stored]
    /// Model id → name.
    let modelNames: [Int64: String]

    func writeMembers(to w: inout JSONWriter) {
        w.beginArray("alerts")
        for a in alerts {
            w.beginObject()
            w.string("model", modelNames[a.modelID] ?? "")
            w.string("rule", a.rule)
            w.string("state", a.state.rawValue)
            w.string("severity", a.severity)
            w.string("fingerprint", a.fingerprint)
            w.string("starts_at", RFC3339.text(microseconds: a.startsAt))
            w.string("ends_at", a.endsAt.map { RFC3339.text(microseconds: $0) })
            w.integer("breaching_windows", a.lifecycle.breaches)
            Self.raw(&w, "labels", a.labelsJSON)
            Self.raw(&w, "annotations", a.annotationsJSON)
            Self.raw(&w, "figure", a.figuresJSON)
            w.endObject()
        }
        w.endArray()
    }

    /// A stored JSON object re-emitted as a member (parsed and written again, so the reply stays valid).
    static func raw(_ w: inout JSONWriter, _ key: String, _ json: String) {
        guard case .object(let members)? = try? JSONValue.parse(json) else {
            w.null(key)
            return
        }
        w.beginObject(key)
        for (k, v) in members {
            switch v {
            case .string(let s): w.string(k, s)
            case .number(let n): w.number(k, n)
            case .bool(let b): w.bool(k, b)
            default: w.null(k)
            }
        }
        w.endObject()
    }
}
