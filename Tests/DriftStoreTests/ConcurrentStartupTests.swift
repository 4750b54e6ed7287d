import DriftCore
import DriftTestSupport
import PostgresDriver
import Testing

@testable import DriftStore

/// Start-up writes run by several agents at once on one database (replicas of a Deployment started
/// together): each succeeds, and the database ends as if one agent had run them.
@Suite struct ConcurrentStartupTests {
    static let agents = 4

    /// Runs `body` on `agents` connections of their own at once; the results in connection order.
    static func together<T: Sendable>(
        _ url: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> [T] {
        let pools = (0..<agents).map { _ in PostgresPool(configuration: PostgresConfiguration(url: url), size: 1) }
        // Connect first, so the bodies start as close together as they can.
        for pool in pools { try await pool.withConnection(purpose: "connect") { _ in () } }
        let results = try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (i, pool) in pools.enumerated() {
                group.addTask { (i, try await pool.withConnection(purpose: "start-up step", body)) }
            }
            var results: [(Int, T)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        for pool in pools { await pool.close() }
        return results
    }

    @Test func migrationsRunByFourConnectionsAtOnceAreAppliedOnce() async throws {
        for round in 0..<3 {
            let url = try TestCluster.createDatabase(prefix: "startup_migrate_\(round)")
            defer { TestCluster.dropDatabase(url: url) }
            let reports = try await Self.together(url) { try MigrationRunner().apply(on: $0) }
            let all = EmbeddedMigrations.all.map(\.name)
            // Each migration applied by exactly one connection; the others found it applied.
            for name in all {
                #expect(reports.filter { $0.applied.contains(name) }.count == 1, "\(name)")
                #expect(reports.filter { $0.alreadyApplied.contains(name) }.count == Self.agents - 1, "\(name)")
            }
            let recorded = try await Self.together(url) { connection in
                try connection.query("SELECT count(*) FROM schema_migrations", purpose: "count")
                    .scalar(Int.self, purpose: "count")
            }
            #expect(recorded.allSatisfy { $0 == all.count })
        }
    }

    @Test func theSameReferenceSavedByFourConnectionsAtOnceIsStoredOnce() async throws {
        let url = try TestCluster.createDatabase(prefix: "startup_reference")
        defer { TestCluster.dropDatabase(url: url) }
        let setup = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        try await setup.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let profile = ReferenceProfile(
            rowCount: 7, numeric: [], categorical: [], predictedClass: nil, predictedValue: nil)
        for round in 0..<3 {
            let name = "startup_\(round)"
            let stored = try await Self.together(url) { connection in
                let id =
                    try ModelStore.find(name: name, on: connection)?.id
                    ?? ModelStore.register(name: name, task: "binary", on: connection).id
                return try ReferenceStore.saveUnlessCurrent(
                    profile, source: "file:reference.csv sha256:00", modelID: id, on: connection)
            }
            #expect(stored.filter { $0 }.count == 1, "round \(round): \(stored)")
            let rows = try await setup.withConnection(purpose: "count") { connection in
                try connection.query(
                    """
                    SELECT count(*) FROM reference_profiles r JOIN models m USING (model_id) WHERE m.name = $1
                    """, [.string(name)], purpose: "count"
                ).scalar(Int.self, purpose: "count")
            }
            #expect(rows == 1, "round \(round)")
        }
        await setup.close()
    }

    @Test func differentReferencesSavedByFourConnectionsAtOnceLeaveOneCurrent() async throws {
        let url = try TestCluster.createDatabase(prefix: "startup_replace")
        defer { TestCluster.dropDatabase(url: url) }
        let setup = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        let id = try await setup.withConnection(purpose: "migrate") { connection in
            _ = try MigrationRunner().apply(on: connection)
            return try ModelStore.register(name: "replaced", task: "binary", on: connection).id
        }
        let profile = ReferenceProfile(
            rowCount: 7, numeric: [], categorical: [], predictedClass: nil, predictedValue: nil)
        _ = try await Self.together(url) { connection in
            try ReferenceStore.save(profile, source: "upload", modelID: id, on: connection)
        }
        let (all, current) = try await setup.withConnection(purpose: "count") { connection in
            let all = try connection.query(
                "SELECT count(*) FROM reference_profiles WHERE model_id = $1", [.int(Int(id))], purpose: "count"
            ).scalar(Int.self, purpose: "count")
            let current = try connection.query(
                "SELECT count(*) FROM reference_profiles WHERE model_id = $1 AND is_current", [.int(Int(id))],
                purpose: "count"
            ).scalar(Int.self, purpose: "count")
            return (all, current)
        }
        #expect(all == Self.agents)
        #expect(current == 1)
        await setup.close()
    }

    @Test func theSamePartitionsEnsuredByFourConnectionsAtOnceAreCreatedOnce() async throws {
        let url = try TestCluster.createDatabase(prefix: "startup_partitions")
        defer { TestCluster.dropDatabase(url: url) }
        let setup = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        try await setup.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let days: Set<Int64> = [20_400, 20_401, 20_402]
        _ = try await Self.together(url) { connection in
            try connection.transaction(purpose: "ensure partitions") {
                try PartitionManager.ensurePartitions(days: days, on: connection)
            }
        }
        let partitions = try await setup.withConnection(purpose: "list") { try PartitionManager.partitions(on: $0) }
        #expect(partitions.map(\.day) == days.sorted())
        await setup.close()
    }

}
