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

    func list() async throws -> JSONReply<ModelDescriptionList> {
        try await environment.models.refresh(pool: environment.pool)
        var models: [ModelDescription] = []
        for model in await environment.models.all() {
            models.append(ModelDescription(model: model, configured: await environment.models.isConfigured(model.name)))
        }
        return JSONReply(ModelDescriptionList(models: models))
    }

    func show(_ name: String) async throws -> JSONReply<ModelDescription> {
        let (model, _) = try await environment.resolveModel(name)
        return JSONReply(ModelDescription(model: model, configured: await environment.models.isConfigured(name)))
    }

    func put(_ request: Request, name: String) async throws -> JSONReply<ModelDescription> {
        let registration = ModelRegistration(environment: environment)
        try await registration.admit(name)
        let body = try await request.body.collect(upTo: 1 << 20)
        let model = try await registration.register(name, settings: String(buffer: body))
        return JSONReply(ModelDescription(model: model, configured: false))
    }
}
