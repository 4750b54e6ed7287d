import DriftConfig
import DriftCore
import DriftStore

extension AgentEnvironment {
    /// The model named `name` (configured, registered through the API, or registered by another agent)
    /// and its id (registered in the database on first use).
    /// - Throws: `APIError` 404 `unknown_model` when no such model exists.
    func resolveModel(_ name: String) async throws -> (ModelConfiguration, Int64) {
        if let found = try await findModel(name) { return found }
        throw APIError(
            .notFound, code: .unknownModel, message: "no model named '\(name)' is configured or registered")
    }

    /// The model named `name` and its id, or nil when it does not exist.
    func findModel(_ name: String) async throws -> (ModelConfiguration, Int64)? {
        var model = await models.model(name)
        if model == nil {
            // Registered by another agent since this one last looked.
            try await models.refresh(pool: pool)
            model = await models.model(name)
        }
        guard let model else { return nil }
        let id = try await pool.withConnection(purpose: "find model") { connection in
            try ModelStore.find(name: name, on: connection)?.id
                ?? ModelStore.register(name: name, task: model.task.rawValue, on: connection).id
        }
        return (model, id)
    }

    /// Registers `model` with its settings as given (`settingsJSON`, kept in `models.schema`); returns its id.
    func registerModel(_ model: ModelConfiguration, settingsJSON: String) async throws -> Int64 {
        let id = try await pool.withConnection(purpose: "register model") {
            try ModelStore.register(
                name: model.name, task: model.task.rawValue, schemaJSON: settingsJSON, on: $0
            ).id
        }
        await models.add(model)
        return id
    }
}
