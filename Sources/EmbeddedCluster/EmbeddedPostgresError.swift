/// Why the embedded PostgreSQL cluster could not be set up, started, stopped or reached: a `code` to
/// branch on, a `message` that says what went wrong and how to fix it, and the `output` of the program
/// that failed (initdb, pg_ctl, libpq) or the last lines of the server log, when there is any.
package struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure (extensible, like `PostgresError.Code`).
    package struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `binaries_not_found`.
        package let rawValue: String
        /// Wraps a raw code.
        package init(rawValue: String) { self.rawValue = rawValue }
        /// `rawValue`.
        package var description: String { rawValue }

        /// `initdb` / `pg_ctl` were found neither on PATH nor under `/usr/lib/postgresql/*/bin`.
        package static let binariesNotFound = Code(rawValue: "binaries_not_found")
        /// A bad port, server setting or state directory.
        package static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// Running as root, and the unprivileged server user cannot reach the state directory (or no
        /// such user or switching tool exists).
        package static let permissionDenied = Code(rawValue: "permission_denied")
        /// A file or directory of the cluster could not be created, read or written.
        package static let fileSystem = Code(rawValue: "file_system")
        /// A program could not be started at all.
        package static let spawnFailed = Code(rawValue: "spawn_failed")
        /// `initdb` failed.
        package static let initFailed = Code(rawValue: "init_failed")
        /// `pg_ctl start` failed or the server did not become ready.
        package static let startFailed = Code(rawValue: "start_failed")
        /// `pg_ctl stop` failed.
        package static let stopFailed = Code(rawValue: "stop_failed")
        /// Connecting to the server or running a statement failed.
        package static let database = Code(rawValue: "database")
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
