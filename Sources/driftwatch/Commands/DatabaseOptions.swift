import ArgumentParser
import DriftStore
import DriftSystem
import EmbeddedCluster

#if canImport(Glibc)
    import Glibc
#endif

/// Where the database is: `--database-url` (or `DATABASE_URL`), else the embedded cluster under `--state-dir`.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"), help: "PostgreSQL URL (default: $DATABASE_URL, else the embedded cluster).")
    var databaseURL: String?

    @Option(name: .customLong("state-dir"), help: "State directory of the embedded cluster.")
    var stateDirectory = ".driftwatch"

    /// The URL given by flag or environment, if any.
    var explicitURL: String? {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let env = getenv("DATABASE_URL") {
            let value = String(cString: env)
            return value.isEmpty ? nil : value
        }
        return nil
    }

    var embedded: EmbeddedPostgres { EmbeddedPostgres(stateDirectory: stateDirectory) }

    /// The URL to use: the explicit one, or the embedded cluster's (started when needed).
    func resolveURL() throws -> String {
        if let explicitURL { return explicitURL }
        return try embedded.start()
    }

    /// `resolveURL` for an async command: the embedded cluster starts on the blocking executor.
    func resolvedURL() async throws -> String {
        if let explicitURL { return explicitURL }
        let embedded = self.embedded
        return try await BlockingExecutor.shared.run { try embedded.start() }
    }
}
