import DriftCore
import DriftStore

extension AgentEnvironment {
    /// The configured model named `name` and its id (registered on first use).
    /// - Throws: `APIError` 404 `unknown_model` when no such model is configured.
    func resolveModel(_ name: String) async throws -> (ModelConfiguration, Int64) {
        guard let model = configuration.model(name) else {
            throw APIError(.notFound, code: "unknown_model", message: "no model named '\(name)' is configured")
        }
        let id = try await pool.withConnection(purpose: "find model") { connection in
            try ModelStore.find(name: name, on: connection)?.id
                ?? ModelStore.register(name: name, task: model.task.rawValue, on: connection).id
        }
        return (model, id)
    }
}
