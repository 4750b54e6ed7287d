import Logging
import PostgresDriver

/// Applies pending migrations in order, each in its own transaction, under a PostgreSQL advisory lock
/// (so two agents starting together do not race), recording name and checksum in `schema_migrations`.
/// It refuses to run when an applied migration's text has changed since (the file was edited).
package struct MigrationRunner: Sendable {
    /// The advisory lock key (any constant shared by every Driftwatch process).
    package static let lockKey = 0x4472_6966_7477_6368  // "Driftwch"

    package let migrations: [Migration]
    let logger: Logger

    package init(migrations: [Migration] = EmbeddedMigrations.all, logger: Logger = Logger(label: "driftwatch.migrate"))
    {
        self.migrations = migrations.sorted { $0.name < $1.name }
        self.logger = logger
    }

    /// What `apply` did or would do.
    package struct Report: Sendable, Equatable {
        package var applied: [String] = []
        package var alreadyApplied: [String] = []
    }

    /// Applies every pending migration (blocking; call it inside `PostgresPool.withConnection`).
    @discardableResult
    package func apply(on connection: PostgresConnection) throws -> Report {
        let purpose = "apply migrations"
        try connection.query("SELECT pg_advisory_lock($1)", [.int(Self.lockKey)], purpose: purpose)
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.int(Self.lockKey)], purpose: purpose) }
        try connection.execute(
            script: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name       text        PRIMARY KEY,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, purpose: purpose)
        let applied = try appliedChecksums(on: connection)
        try verify(applied)
        var report = Report()
        for migration in migrations {
            if applied[migration.name] != nil {
                report.alreadyApplied.append(migration.name)
                continue
            }
            try connection.transaction(purpose: "apply migration \(migration.name)") {
                try connection.execute(script: migration.sql, purpose: "apply migration \(migration.name)")
                try connection.query(
                    "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)",
                    [.string(migration.name), .string(migration.checksum)],
                    purpose: "record migration \(migration.name)")
            }
            logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            report.applied.append(migration.name)
        }
        return report
    }

    /// The migrations not applied yet, after checking the applied ones were not edited.
    package func pending(on connection: PostgresConnection) throws -> [String] {
        let exists =
            try connection.query(
                "SELECT to_regclass('schema_migrations') IS NOT NULL", purpose: "check migrations"
            ).scalar(Bool.self, purpose: "check migrations") ?? false
        guard exists else { return migrations.map(\.name) }
        let applied = try appliedChecksums(on: connection)
        try verify(applied)
        return migrations.map(\.name).filter { applied[$0] == nil }
    }

    func appliedChecksums(on connection: PostgresConnection) throws -> [String: String] {
        let rows = try connection.query(
            "SELECT name, checksum FROM schema_migrations", purpose: "read applied migrations")
        var applied: [String: String] = [:]
        for row in rows.rows {
            if let name = row[0], let checksum = row[1] { applied[name] = checksum }
        }
        return applied
    }

    func verify(_ applied: [String: String]) throws {
        for migration in migrations {
            if let recorded = applied[migration.name], recorded != migration.checksum {
                throw PostgresError(
                    .migration, purpose: "apply migrations",
                    message:
                        "Migrations/\(migration.name) was edited after it was applied (checksum \(recorded.prefix(12))… "
                        + "recorded, \(migration.checksum.prefix(12))… now); released migrations must not change: add a new one"
                )
            }
        }
    }
}
