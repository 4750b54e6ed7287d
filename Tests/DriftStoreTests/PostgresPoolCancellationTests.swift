import DriftTestSupport
import Foundation
import PostgresDriver
import Synchronization
import Testing

@Suite struct PostgresPoolCancellationTests {
    /// A task cancelled while it waits for a connection leaves the queue at once (the waiter count goes back
    /// down, its work never runs), and the connection, once released, goes to the next live waiter.
    @Test func aCancelledWaiterLeavesTheQueueAndTheNextReleaseGoesToALiveWaiter() async throws {
        let url = try TestCluster.createDatabase(prefix: "pool_cancel")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1, maxWaiting: 4)
        let until = PostgresPoolBackPressureTests.until
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await pool.withConnection(purpose: "hold") { c in
                _ = try c.query("SELECT 1", purpose: "hold")
                release.wait()
            }
        }
        #expect(try await until { await pool.statistics.inUse == 1 })
        let ran = Mutex(false)
        let cancelled = Task { try await pool.withConnection(purpose: "cancelled") { _ in ran.withLock { $0 = true } } }
        #expect(try await until { await pool.statistics.waiting == 1 })
        cancelled.cancel()
        #expect(try await until { await pool.statistics.waiting == 0 })
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        let live = Task {
            try await pool.withConnection(purpose: "live") { c in
                try c.query("SELECT 42", purpose: "live").scalar(Int.self, purpose: "live")
            }
        }
        #expect(try await until { await pool.statistics.waiting == 1 })
        release.signal()
        try await holder.value
        #expect(try await live.value == 42)
        #expect(ran.withLock { $0 } == false)
        await pool.close()
    }
}
