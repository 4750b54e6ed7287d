import DriftConfig
import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import Logging
import PostgresDriver

/// What an agent does to its database before its services run, for `serve` and `demo` alike.
package enum AgentBootstrap {
    /// The configuration in the YAML file at `path`, read and checked on the blocking executor.
    /// - Throws: the file's read error, or `ConfigurationError` listing every problem with its line.
    package static func configuration(file path: String) async throws -> DriftwatchConfiguration {
        try await BlockingExecutor.shared.run {
            let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
            return try ConfigurationLoader.load(yaml: text, file: path)
        }
    }

    /// Applies the pending migrations (when `migrate`), registers every configured model and stores each
    /// configured reference file as the model's current reference when it changed. Every step is
    /// idempotent and safe when several agents start at once on one database (migrations under an
    /// advisory lock, upserts, the reference stored unless current); a step that loses a race is run again
    /// and then sees the winner's result. A reference file that cannot be read throws its `TableError`.
    package static func prepare(
        _ configuration: DriftwatchConfiguration, pool: PostgresPool, migrate: Bool, logger: Logger
    ) async throws {
        if migrate {
            let report = try await pool.withRaceRetry(purpose: "apply migrations") {
                try MigrationRunner(logger: logger).apply(on: $0)
            }
            for name in report.applied { logger.info("applied migration \(name)") }
        }
        for model in configuration.models {
            _ = try await pool.withRaceRetry(purpose: "register model") {
                try ModelStore.register(name: model.name, task: model.task.rawValue, on: $0)
            }
        }
        try await ConfiguredReferences.apply(configuration, pool: pool, logger: logger)
    }
}
