/// Why the embedded PostgreSQL cluster could not be set up, started, stopped or reached: a `code` to
/// branch on, a `message` that says what went wrong and how to fix it, and the `output` of the program
/// that failed (initdb, pg_ctl, libpq) or the last lines of the server log, when there is any.
package struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure; a closed set (scripts may match on `description`, e.g. `binaries_not_found`).
    /// `binaries_not_found`: `initdb` / `pg_ctl` were found neither on PATH nor under `/usr/lib/postgresql/*/bin`;
    /// `invalid_configuration`: a bad port, server setting or state directory; `permission_denied`: running as root,
    /// and the unprivileged server user cannot reach the state directory (or no such user or switching tool exists);
    /// `file_system`: a file or directory of the cluster could not be created, read or written; `spawn_failed`: A
    /// program could not be started at all; `init_failed`: `initdb` failed; `start_failed`: `pg_ctl start` failed or
    /// the server did not become ready; `stop_failed`: `pg_ctl stop` failed; `database`: connecting to the server or
    /// running a statement failed.
    package enum Code: String, Sendable, CustomStringConvertible {
        case binariesNotFound = "binaries_not_found", invalidConfiguration = "invalid_configuration"
        case permissionDenied = "permission_denied", fileSystem = "file_system", spawnFailed = "spawn_failed"
        case initFailed = "init_failed", startFailed = "start_failed", stopFailed = "stop_failed", database
        package var description: String { rawValue }
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
