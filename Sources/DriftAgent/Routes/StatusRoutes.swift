import Hummingbird

/// `GET /v1/models/{model}/status`: the model's settings, its reference, its open window (events so far and
/// its figures computed now, drift included, from the stored events), its last closed window (the stored
/// figures and verdict) and its open alerts (`ModelStatus`, read by `ModelStatusReader`).
struct StatusRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        let reader = ModelStatusReader(environment: environment)
        group.get("models/:model/status") { _, context in
            JSONReply(try await reader.status(model: try context.parameters.require("model")))
        }
    }
}
