/// Why the embedded PostgreSQL cluster could not be set up, started, stopped or reached: a `code` to
/// branch on, a `message` that says what went wrong and how to fix it, and the `output` of the program
/// that failed (initdb, pg_ctl, libpq) or the last lines of the server log, when there is any.
package struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure; a closed set (scripts may match on `description`, e.g. `binaries_not_found`).
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case binariesNotFound = "binaries_not_found"
            case invalidConfiguration = "invalid_configuration"
            case permissionDenied = "permission_denied"
            case fileSystem = "file_system"
            case spawnFailed = "spawn_failed"
            case initFailed = "init_failed"
            case startFailed = "start_failed"
            case stopFailed = "stop_failed"
            case database
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// `initdb` / `pg_ctl` were found neither on PATH nor under `/usr/lib/postgresql/*/bin`.
        package static let binariesNotFound = Code(.binariesNotFound)
        /// A bad port, server setting or state directory.
        package static let invalidConfiguration = Code(.invalidConfiguration)
        /// Running as root, and the unprivileged server user cannot reach the state directory (or no
        /// such user or switching tool exists).
        package static let permissionDenied = Code(.permissionDenied)
        /// A file or directory of the cluster could not be created, read or written.
        package static let fileSystem = Code(.fileSystem)
        /// A program could not be started at all.
        package static let spawnFailed = Code(.spawnFailed)
        /// `initdb` failed.
        package static let initFailed = Code(.initFailed)
        /// `pg_ctl start` failed or the server did not become ready.
        package static let startFailed = Code(.startFailed)
        /// `pg_ctl stop` failed.
        package static let stopFailed = Code(.stopFailed)
        /// Connecting to the server or running a statement failed.
        package static let database = Code(.database)

        /// The code as written, e.g. `start_failed`.
        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package let code: Code
    /// What went wrong, with the paths involved and how to fix it when that is known.
    package let message: String
    /// The failed program's output or the server log's last lines (empty when there is none).
    package let output: String

    /// An error with `code`, `message` and the underlying `output`.
    package init(_ code: Code, _ message: String, output: String = "") {
        self.code = code
        self.message = message
        self.output = output
    }

    /// `message`, followed by the indented output when there is any.
    package var description: String {
        let trimmed = EmbeddedFiles.trimmingTrailingNewlines(output)
        guard !trimmed.isEmpty else { return "embedded PostgreSQL: \(message)" }
        let indented = trimmed.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        return "embedded PostgreSQL: \(message)\n" + indented.joined(separator: "\n")
    }
}
