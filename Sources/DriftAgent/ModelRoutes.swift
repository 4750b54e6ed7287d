import DriftConfig
import DriftCore
import DriftStore
import DriftTables
import Hummingbird

/// `GET /v1/models` (every configured and registered model with its settings), `GET /v1/models/{model}`
/// and `PUT /v1/models/{model}` (registers a model through the API: a JSON body with the settings a YAML
/// file has under `models.<name>` — task, features, window, allowed_lateness, reference, drift,
/// retention). Configured models are changed in the file, not here (409); a registered model's settings
/// may change, but not its features (their stored order is the raw events' layout: 409).
struct ModelRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("models") { _, _ in try await list() }
        group.get("models/:model") { _, context in
            try await show(try context.parameters.require("model"))
        }
        group.put("models/:model") { request, context in
            try await put(request, name: try context.parameters.require("model"))
        }
    }

    func list() async throws -> Response {
        try await environment.models.refresh(pool: environment.pool)
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.beginArray("models")
        for model in await environment.models.all() {
            await Self.write(model, configured: environment.models.isConfigured(model.name), to: &w)
        }
        w.endArray()
        w.endObject()
        return JSONResponse.make(w.text)
    }

    func show(_ name: String) async throws -> Response {
        let (model, _) = try await environment.resolveModel(name)
        var w = JSONWriter(pretty: false)
        await Self.write(model, configured: environment.models.isConfigured(name), to: &w)
        return JSONResponse.make(w.text)
    }

    func put(_ request: Request, name: String) async throws -> Response {
        guard ConfigurationLoader.isValidModelName(name) else {
            throw APIError(
                .badRequest, code: .invalidModelName,
                message: "a model name is 1 to 100 of A-Z a-z 0-9 _ . -")
        }
        if await environment.models.isConfigured(name) {
            throw APIError(
                .conflict, code: .configuredModel,
                message: "model '\(name)' is defined in the configuration file; change it there")
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        let text = String(buffer: body)
        do {
            _ = try JSONValue.parse(text)
        } catch {
            throw APIError.notJSON(error)
        }
        let model: ModelConfiguration
        do {
            model = try ConfigurationLoader.loadModel(
                name: name, text: text, source: "body", defaults: environment.configuration.defaults)
        } catch {
            throw APIError.invalidModel(error)
        }
        let receivers = Set(environment.configuration.alerting.receivers.map(\.name))
        for rule in model.rules {
            if let unknown = rule.receivers.first(where: { !receivers.contains($0) }) {
                throw APIError(
                    .badRequest, code: .invalidModel,
                    message: "rule '\(rule.name)' names receiver '\(unknown)', which is not under alerting.receivers",
                    field: "models.\(name).rules.\(rule.name).receivers")
            }
        }
        if let existing = try await environment.findModel(name)?.0, existing.features != model.features {
            throw APIError(
                .conflict, code: .featuresChanged,
                message: "model '\(name)' already has other features; register the new schema under a new name")
        }
        _ = try await environment.registerModel(model, settingsJSON: text)
        var w = JSONWriter(pretty: false)
        Self.write(model, configured: false, to: &w)
        return JSONResponse.make(w.text)
    }

    static func write(_ model: ModelConfiguration, configured: Bool, to w: inout JSONWriter) {
        w.beginObject()
        w.string("name", model.name)
        w.string("task", model.task.rawValue)
        w.bool("configured", configured)
        switch model.window {
        case .duration(let seconds): w.integer("window_seconds", seconds)
        case .events(let n): w.integer("window_events", n)
        }
        w.integer("allowed_lateness_seconds", model.allowedLatenessSeconds)
        w.beginArray("features")
        for feature in model.features {
            w.beginObject()
            w.string("name", feature.name)
            w.string("type", feature.type.rawValue)
            w.beginArray("methods")
            for m in model.methods(for: feature) { w.string(nil, m.rawValue) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
