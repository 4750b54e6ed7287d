import DriftCore
import DriftStore
import Hummingbird

/// `GET /v1/models`: the configured models and any registered through the API, with their features.
struct ModelRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("models") { _, _ in try await list() }
    }

    func list() async throws -> Response {
        let registered = try await environment.pool.withConnection(purpose: "list models") {
            try ModelStore.list(on: $0)
        }
        let configured = environment.configuration.models
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.beginArray("models")
        for model in configured {
            w.beginObject()
            w.string("name", model.name)
            w.string("task", model.task.rawValue)
            w.bool("configured", true)
            w.bool("registered", registered.contains { $0.name == model.name })
            w.beginArray("features")
            for feature in model.features {
                w.beginObject()
                w.string("name", feature.name)
                w.string("type", feature.type.rawValue)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        for model in registered where !configured.contains(where: { $0.name == model.name }) {
            w.beginObject()
            w.string("name", model.name)
            w.string("task", model.task)
            w.bool("configured", false)
            w.bool("registered", true)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return JSONResponse.make(w.text)
    }
}
