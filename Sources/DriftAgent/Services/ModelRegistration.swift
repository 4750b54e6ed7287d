import DriftConfig
import DriftCore
import DriftTables

/// Registers a model through the API (`PUT /v1/models/{model}`) from the settings a YAML file has under
/// `models.<name>`, written as JSON. Configured models are changed in the file, not here; a registered
/// model's settings may change but not its features (their stored order is the raw events' layout).
struct ModelRegistration: Sendable {
    let environment: AgentEnvironment

    /// Registers or replaces `name` with the settings in `text`.
    /// - Throws: `APIError` — `invalid_model_name`, `configured_model` (409), `invalid_json`,
    ///   `invalid_model`, `features_changed` (409).
    func register(_ name: String, settings text: String) async throws -> ModelConfiguration {
        try await admit(name)
        let model = try load(name, settings: text)
        if let existing = try await environment.findModel(name)?.0, existing.features != model.features {
            throw APIError(
                .conflict, code: .featuresChanged,
                message: "model '\(name)' already has other features; register the new schema under a new name")
        }
        _ = try await environment.registerModel(model, settingsJSON: text)
        return model
    }

    /// Checks that `name` may be registered through the API (before its body is read).
    /// - Throws: `APIError` `invalid_model_name`, or `configured_model` (409).
    func admit(_ name: String) async throws {
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
    }

    /// The model the settings describe, its rules naming only configured receivers.
    func load(_ name: String, settings text: String) throws -> ModelConfiguration {
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
        return model
    }
}
