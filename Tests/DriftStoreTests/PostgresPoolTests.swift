import DriftTestSupport
import EmbeddedCluster
import Foundation
import PostgresDriver
import Testing

@testable import DriftStore
@testable import EmbeddedCluster

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct PostgresPoolTests {
    @Test func leasesNeverExceedThePoolSize() async throws {
        let url = try TestCluster.createDatabase(prefix: "pool")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        // 8 tasks, 2 connections: at most 2 backends at once, every task served.
        let pids = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await pool.withConnection(purpose: "pid") { c in
                        try c.query("SELECT pg_sleep(0.05)", purpose: "sleep")
                        return try c.query("SELECT pg_backend_pid()", purpose: "pid").scalar(Int.self, purpose: "pid")
                            ?? 0
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(pids.count == 8)
        #expect(Set(pids).count <= 2)
        await pool.close()
    }

    @Test func aClosedPoolRefusesWork() async throws {
        let url = try TestCluster.createDatabase(prefix: "pool_closed")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        #expect(try await pool.withConnection(purpose: "before close") { _ in 1 } == 1)
        await pool.close()
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection(purpose: "after close") { _ in 1 }
        }
    }

    @Test func thePoolRecoversEveryCommittedRowAfterTheServerIsKilledMidTransaction() async throws {
        let directory = try TestCluster.temporaryDirectory("restart")
        let cluster = EmbeddedPostgres(stateDirectory: directory)
        let url = try cluster.start()
        defer {
            try? cluster.stop()
            try? EmbeddedFiles.removeRecursively(directory)
        }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        try await pool.withConnection(purpose: "setup") { c in
            try c.execute(script: "CREATE TABLE events (id int PRIMARY KEY)", purpose: "setup")
            try c.query("INSERT INTO events SELECT generate_series(1, 1000)", purpose: "commit 1000")
        }
        // Open a transaction, write 500 more rows, kill the server before COMMIT.
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection(purpose: "doomed") { c in
                try c.query("BEGIN", purpose: "doomed")
                try c.query("INSERT INTO events SELECT generate_series(1001, 1500)", purpose: "doomed")
                let pid = try #require(cluster.status().runningPID, "the server is not running")
                kill(pid, SIGQUIT)  // immediate shutdown: no checkpoint, crash recovery on restart
                for _ in 0..<4800 where cluster.status() != .stopped { usleep(25_000) }  // at most 2 min
                try c.query("COMMIT", purpose: "commit after the kill")
            }
        }
        // While the server is down, work fails with a connection error (not a hang, not a crash).
        await #expect {
            try await pool.withConnection(purpose: "while down") { try $0.query("SELECT 1", purpose: "while down") }
        } throws: { ($0 as? PostgresError)?.isTransient == true }
        _ = try cluster.start()
        // Both pooled connections are replaced by fresh ones; the committed rows are all there.
        for _ in 0..<4 {
            let count = try await pool.withConnection(purpose: "count") { c in
                try c.query("SELECT count(*) FROM events", purpose: "count").scalar(Int.self, purpose: "count")
            }
            #expect(count == 1000)
        }
        await pool.close()
    }
}

@Suite struct PostgresPoolBackPressureTests {
    /// Beyond `maxWaiting` waiting tasks a lease fails at once with `.overloaded` (transient: retry).
    @Test func aFullQueueFailsAtOnceInsteadOfGrowing() async throws {
        let url = try TestCluster.createDatabase(prefix: "pool_pressure")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1, maxWaiting: 1)
        // The one connection is held until the test lets it go (on an executor thread), one task
        // waits for it, and only then does the third ask: states awaited, not timed.
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await pool.withConnection(purpose: "hold") { c in
                _ = try c.query("SELECT 1", purpose: "hold")
                release.wait()
            }
        }
        #expect(try await Self.until { await pool.statistics.inUse == 1 })
        let waiter = Task { try await pool.withConnection(purpose: "wait") { _ in () } }
        #expect(try await Self.until { await pool.statistics.waiting == 1 })
        let third: String
        do {
            try await pool.withConnection(purpose: "third") { _ in () }
            third = "ok"
        } catch let error as PostgresError {
            third = "\(error.code)"
        }
        release.signal()
        // The holder and the waiter are both served.
        try await holder.value
        try await waiter.value
        #expect(third == "overloaded")
        await pool.close()
    }
}

extension PostgresPoolBackPressureTests {
    /// Polls `condition` until it holds (true) or two minutes passed (false).
    static func until(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<12_000 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
