import DriftConfig
import DriftCore
import DriftStore
import PostgresDriver

/// The models the agent monitors: those of the configuration file, and those registered through the API
/// (`PUT /v1/models/{model}`) or automatically (`defaults.auto_register`), whose settings are kept in the
/// `models` table (`schema`, the settings as given) so every agent and every restart knows them.
package actor ModelCatalog {
    let configured: [String: ModelConfiguration]
    let order: [String]
    let defaults: ModelDefaults
    var registered: [String: ModelConfiguration] = [:]

    package init(configuration: DriftwatchConfiguration) {
        configured = Dictionary(configuration.models.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        order = configuration.models.map(\.name)
        defaults = configuration.defaults
    }

    /// The model named `name` (configured, or registered and known to this agent).
    package func model(_ name: String) -> ModelConfiguration? { configured[name] ?? registered[name] }

    /// Whether `name` comes from the configuration file.
    package func isConfigured(_ name: String) -> Bool { configured[name] != nil }

    /// Every model: configured ones in file order, then registered ones by name.
    package func all() -> [ModelConfiguration] {
        order.compactMap { configured[$0] } + registered.keys.sorted().compactMap { registered[$0] }
    }

    /// Adds (or replaces) a registered model.
    func add(_ model: ModelConfiguration) { registered[model.name] = model }

    /// Reads the registered models from the database (those registered by other agents too). A stored
    /// setting this version cannot read is skipped and returned as a problem.
    @discardableResult
    package func refresh(pool: PostgresPool) async throws -> [String] {
        let stored = try await pool.withConnection(purpose: "list models") { try ModelStore.list(on: $0) }
        var problems: [String] = []
        for model in stored where configured[model.name] == nil && model.schemaJSON != "{}" {
            do {
                registered[model.name] = try ConfigurationLoader.loadModel(
                    name: model.name, text: model.schemaJSON, source: "models.schema", defaults: defaults)
            } catch {
                problems.append("model '\(model.name)': \(error)")
            }
        }
        return problems
    }
}
