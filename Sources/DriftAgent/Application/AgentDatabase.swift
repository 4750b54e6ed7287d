import DriftCore
import DriftSystem
import EmbeddedCluster
import Logging

/// The database an agent (or a command reading the agent's tables) works on: the URL in the configured
/// environment variable, else the embedded cluster in the configured state directory.
package struct AgentDatabase: Sendable {
    /// The libpq connection URL.
    package let url: String
    /// The embedded cluster, when no URL was configured: `stop()` it once the pool is closed.
    package let embedded: EmbeddedPostgres?

    package init(url: String, embedded: EmbeddedPostgres?) {
        self.url = url
        self.embedded = embedded
    }

    /// Finds the configured URL or starts the embedded cluster (on the blocking executor: the cluster's
    /// start waits for PostgreSQL). Call it before the services run.
    package static func open(
        _ configuration: DriftwatchConfiguration, environment: [String: String]
    ) async throws
        -> AgentDatabase
    {
        if let url = environment[configuration.database.urlEnvironment], !url.isEmpty {
            return AgentDatabase(url: url, embedded: nil)
        }
        let embedded = EmbeddedPostgres(stateDirectory: configuration.database.stateDirectory)
        return try await start(embedded)
    }

    /// Starts `embedded` on the blocking executor; the database is its URL.
    package static func start(_ embedded: EmbeddedPostgres) async throws -> AgentDatabase {
        AgentDatabase(url: try await BlockingExecutor.shared.run { try embedded.start() }, embedded: embedded)
    }

    /// Runs `body`, then stops the embedded cluster (also when `body` throws).
    package func whileOpen<T>(logger: Logger, _ body: () async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body()
        } catch {
            await stop(logger: logger)
            throw error
        }
        await stop(logger: logger)
        return result
    }

    /// Stops the embedded cluster, if one was started (on the blocking executor, also in a cancelled
    /// task); a failure is logged.
    package func stop(logger: Logger) async {
        guard let embedded else { return }
        do {
            try await BlockingExecutor.shared.runEvenIfCancelled { try embedded.stop() }
        } catch {
            logger.error("stopping the embedded database failed: \(error)")
        }
    }
}
