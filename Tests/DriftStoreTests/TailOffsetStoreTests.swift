import DriftTestSupport
import PostgresDriver
import Testing

@testable import DriftStore

/// The offset rows of followed files: a claim succeeds only from the offset it was read at, and a
/// transaction nested in another is a savepoint, so the claim and the events commit together.
@Suite struct TailOffsetStoreTests {
    func migratedPool(_ prefix: String) async throws -> (PostgresPool, String) {
        let url = try TestCluster.createDatabase(prefix: prefix)
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return (pool, url)
    }

    @Test func anOffsetMovesOnlyFromWhereItWasRead() async throws {
        let (pool, url) = try await migratedPool("tail_offsets")
        defer { TestCluster.dropDatabase(url: url) }
        let modelID = try await pool.withConnection(purpose: "t") {
            try ModelStore.register(name: "m", task: "binary", on: $0).id
        }
        let key = TailOffsetStore.Key(modelID: modelID, kind: "predictions", device: UInt64.max - 1, inode: 42)
        let one = TailOffsetStore.Offset(
            byteOffset: 100, lineNumber: 2, fingerprint: 0xFFFF_0000_0000_0001, fingerprintLength: 100)
        let two = TailOffsetStore.Offset(byteOffset: 250, lineNumber: 5, fingerprint: 7, fingerprintLength: 250)
        let outcomes = try await pool.withConnection(purpose: "t") { c in
            [
                try TailOffsetStore.advance(key, path: "/a", from: nil, to: one, on: c),
                try TailOffsetStore.advance(key, path: "/a", from: nil, to: two, on: c),
                try TailOffsetStore.advance(key, path: "/a", from: .start, to: two, on: c),
                try TailOffsetStore.advance(key, path: "/b", from: one, to: two, on: c),
                try TailOffsetStore.advance(key, path: "/b", from: one, to: two, on: c),
            ]
        }
        #expect(outcomes == [true, false, false, true, false])
        let found = try await pool.withConnection(purpose: "t") { try TailOffsetStore.find(key, on: $0) }
        #expect(found == two)
        await pool.close()
    }

    @Test func aNestedTransactionIsASavepoint() async throws {
        let (pool, url) = try await migratedPool("nested")
        defer { TestCluster.dropDatabase(url: url) }
        struct Failure: Error {}
        let count = try await pool.withConnection(purpose: "t") { c -> Int in
            try c.execute(script: "CREATE TABLE t (x int)", purpose: "t")
            try c.transaction(purpose: "outer") {
                try c.query("INSERT INTO t VALUES (1)", purpose: "t")
                _ = try? c.transaction(purpose: "inner") {
                    try c.query("INSERT INTO t VALUES (2)", purpose: "t")
                    throw Failure()
                }
                _ = try c.transaction(purpose: "inner") { try c.query("INSERT INTO t VALUES (3)", purpose: "t") }
            }
            _ = try? c.transaction(purpose: "outer") {
                _ = try c.transaction(purpose: "inner") { try c.query("INSERT INTO t VALUES (4)", purpose: "t") }
                throw Failure()
            }
            return try c.query("SELECT sum(x) FROM t", purpose: "t").scalar(Int.self, purpose: "t") ?? 0
        }
        #expect(count == 4, "1 and 3 committed; 2 rolled back to its savepoint; 4 with its outer transaction")
        await pool.close()
    }
}
