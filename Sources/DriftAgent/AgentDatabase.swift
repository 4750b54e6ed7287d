import DriftCore
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

    /// Finds the configured URL or starts the embedded cluster. Blocking (the cluster's start waits for
    /// PostgreSQL): call it before the services run.
    package static func open(
        _ configuration: DriftwatchConfiguration, environment: [String: String]
    ) throws
        -> AgentDatabase
    {
        if let url = environment[configuration.database.urlEnvironment], !url.isEmpty {
            return AgentDatabase(url: url, embedded: nil)
        }
        let embedded = EmbeddedPostgres(stateDirectory: configuration.database.stateDirectory)
        return AgentDatabase(url: try embedded.start(), embedded: embedded)
    }

    /// Stops the embedded cluster, if one was started; a failure is logged.
    package func stop(logger: Logger) {
        guard let embedded else { return }
        do { try embedded.stop() } catch { logger.error("stopping the embedded database failed: \(error)") }
    }
}
