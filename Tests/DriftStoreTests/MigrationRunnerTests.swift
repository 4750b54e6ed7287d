import DriftTestSupport
import Foundation
import PostgresDriver
import Testing

@testable import DriftStore

@Suite struct MigrationRunnerTests {
    @Test func embeddedMigrationsMatchTheFiles() throws {
        // The binary carries Migrations/*.sql (scripts/embed-migrations.py); they must not drift apart.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".sql") }
            .sorted()
        #expect(EmbeddedMigrations.all.map(\.name) == files)
        for migration in EmbeddedMigrations.all {
            let text = try String(contentsOf: root.appendingPathComponent(migration.name), encoding: .utf8)
            #expect(
                migration.sql == text.trimmingCharacters(in: .newlines),
                "\(migration.name): run scripts/embed-migrations.py")
        }
    }

    @Test func applyingTwiceIsANoOp() async throws {
        let url = try TestCluster.createDatabase(prefix: "migrate")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        let first = try await pool.withConnection(purpose: "migrate") { try MigrationRunner().apply(on: $0) }
        #expect(first.applied == EmbeddedMigrations.all.map(\.name))
        let second = try await pool.withConnection(purpose: "migrate") { try MigrationRunner().apply(on: $0) }
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == EmbeddedMigrations.all.map(\.name))
        let pending = try await pool.withConnection(purpose: "pending") { try MigrationRunner().pending(on: $0) }
        #expect(pending.isEmpty)
        await pool.close()
    }

    @Test func anEditedAppliedMigrationStopsMigrate() async throws {
        let url = try TestCluster.createDatabase(prefix: "edited")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        let original = [Migration(name: "0001_first.sql", sql: "CREATE TABLE t1 (x int);")]
        try await pool.withConnection(purpose: "migrate") {
            _ = try MigrationRunner(migrations: original).apply(on: $0)
        }
        let edited = [Migration(name: "0001_first.sql", sql: "CREATE TABLE t1 (x bigint);")]
        await #expect {
            try await pool.withConnection(purpose: "migrate") {
                _ = try MigrationRunner(migrations: edited).apply(on: $0)
            }
        } throws: { error in
            let e = error as? PostgresError
            return e?.code == .migration && e?.message.contains("0001_first.sql") == true
                && e?.message.contains("edited") == true
        }
        await pool.close()
    }

    @Test func aFailingMigrationIsRolledBack() async throws {
        let url = try TestCluster.createDatabase(prefix: "failing")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        let migrations = [
            Migration(name: "0001_ok.sql", sql: "CREATE TABLE ok (x int);"),
            Migration(name: "0002_bad.sql", sql: "CREATE TABLE half (x int); SELECT * FROM no_such_table;"),
        ]
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection(purpose: "migrate") {
                _ = try MigrationRunner(migrations: migrations).apply(on: $0)
            }
        }
        let state = try await pool.withConnection(purpose: "check") { c in
            (
                try c.query("SELECT to_regclass('half') IS NULL", purpose: "t").scalar(Bool.self, purpose: "t"),
                try c.query("SELECT count(*) FROM schema_migrations", purpose: "t").scalar(Int.self, purpose: "t")
            )
        }
        #expect(state.0 == true)
        #expect(state.1 == 1)
        await pool.close()
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        let url = try TestCluster.createDatabase(prefix: "race")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 4)
        let reports = try await withThrowingTaskGroup(of: MigrationRunner.Report.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await pool.withConnection(purpose: "migrate") { try MigrationRunner().apply(on: $0) }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.reduce(0) { $0 + $1.applied.count } == EmbeddedMigrations.all.count)
        await pool.close()
    }
}
