import DriftTables
import Hummingbird

/// `POST /v1/models/{model}/predict`: the champion version (a built-in model) answers, and the prediction
/// is logged as if the model server had sent it, so a model trained by Driftwatch is monitored with no
/// extra wiring.
///
/// The body is one event — `{"id"?, "timestamp"?, "features": {...}}`, as for `/predictions` but without
/// the outputs (`id` defaults to a new UUID, `timestamp` to now) — or `{"instances": [event, ...]}` (at
/// most 10,000). The reply carries, per event, its id, the predicted label (or value) and the class
/// probabilities, plus the champion's version. No champion: 409 `no_champion`.
struct PredictRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("models/:model/predict") { request, context in
            try await predict(request, model: try context.parameters.require("model"))
        }
    }

    func predict(_ request: Request, model name: String) async throws -> JSONReply<PredictReply> {
        let (model, modelID) = try await environment.resolveModel(name)
        let body = try await JSONBody.read(request, limit: environment.configuration.server.maxBufferedBodyBytes)
        let (batch, items) = try ChampionPredictor.items(of: body)
        let predictor = ChampionPredictor(environment: environment, name: name, model: model, modelID: modelID)
        return JSONReply(try await predictor.answer(items, batch: batch))
    }
}
