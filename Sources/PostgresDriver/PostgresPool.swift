import DriftSystem
import Logging
import Synchronization

/// A bounded pool of PostgreSQL connections. `withConnection` leases one connection to one task at a time
/// and runs the task's work with it on `BlockingExecutor.shared`, so libpq's blocking calls never run on
/// Swift's cooperative thread pool; tasks beyond the pool's size wait in FIFO order, and a waiting task
/// that is cancelled leaves the queue (its lease throws `CancellationError`). A connection found broken
/// (e.g. after the server restarted) is replaced by a new one on the next lease. At most `maxWaiting`
/// tasks wait: beyond that a lease fails at once with `.overloaded` (back-pressure: the agent answers 503
/// with `Retry-After` instead of queueing work, and the memory it holds, without bound).
package actor PostgresPool {
    package nonisolated let configuration: PostgresConfiguration
    package let size: Int
    package let maxWaiting: Int
    let logger: Logger
    private var idle: [Slot]
    private var waiters: [(id: Int, continuation: CheckedContinuation<Slot, any Error>)] = []
    private var nextWaiter = 0
    private var closed = false

    package init(
        configuration: PostgresConfiguration, size: Int = 4, maxWaiting: Int = 64,
        logger: Logger = Logger(label: "driftwatch.pool")
    ) {
        self.configuration = configuration
        self.size = max(1, size)
        self.maxWaiting = max(0, maxWaiting)
        self.logger = logger
        idle = (0..<max(1, size)).map { Slot(index: $0) }
    }

    /// Runs `body` with a leased connection on the executor and returns its result. `purpose` names the
    /// work in errors and logs.
    package func withConnection<T: Sendable>(
        purpose: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let slot = try await lease()
        defer { release(slot) }
        let configuration = self.configuration
        let logger = self.logger
        return try await BlockingExecutor.shared.run {
            try slot.use(configuration: configuration, logger: logger, body)
        }
    }

    /// Connections leased right now and tasks waiting for one (the database queue's depth).
    package var statistics: (inUse: Int, waiting: Int, size: Int) { (size - idle.count, waiters.count, size) }

    /// `withConnection` inside BEGIN … COMMIT (ROLLBACK on error).
    package func withTransaction<T: Sendable>(
        purpose: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection(purpose: purpose) { connection in
            try connection.transaction(purpose: purpose) { try body(connection) }
        }
    }

    /// Closes idle connections and fails waiting and future leases.
    package func close() async {
        closed = true
        for waiter in waiters {
            waiter.continuation.resume(
                throwing: PostgresError(.poolClosed, purpose: "lease", message: "the pool is closed"))
        }
        waiters.removeAll()
        let slots = idle
        _ = try? await BlockingExecutor.shared.runEvenIfCancelled { for slot in slots { slot.discard() } }
    }

    private func lease() async throws -> Slot {
        if closed { throw PostgresError(.poolClosed, purpose: "lease", message: "the pool is closed") }
        if let slot = idle.popLast() { return slot }
        guard waiters.count < maxWaiting else {
            throw PostgresError(
                .overloaded, purpose: "lease",
                message: "all \(size) database connections are busy and \(maxWaiting) tasks are waiting for one")
        }
        let id = nextWaiter
        nextWaiter &+= 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.leave(id) }
        }
    }

    /// A cancelled task's waiter leaves the queue (if a connection did not reach it first).
    private func leave(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func release(_ slot: Slot) {
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: slot)
        } else {
            idle.append(slot)
        }
    }

    /// One pooled connection. Its lessee (one task at a time: the pool hands a slot to one lessee) uses it
    /// on the executor; the mutex is never contended, it makes the hand-over between threads explicit.
    final class Slot: Sendable {
        let index: Int
        private let current = Mutex<PostgresConnection?>(nil)

        init(index: Int) { self.index = index }

        /// Runs `body` with the slot's connection, (re)connecting when there is none or it is broken, and
        /// dropping it when `body` failed and left it broken. Blocking.
        func use<T: Sendable>(
            configuration: PostgresConfiguration, logger: Logger, _ body: @Sendable (PostgresConnection) throws -> T
        ) throws -> T {
            try current.withLock { current -> T in
                let connection: PostgresConnection
                if let open = current, open.pollIsAlive() {
                    connection = open
                } else {
                    if current != nil { logger.info("reconnecting to PostgreSQL", metadata: ["slot": "\(index)"]) }
                    current = nil
                    let fresh = try PostgresConnection(configuration: configuration, logger: logger)
                    current = fresh
                    connection = fresh
                }
                do {
                    return try body(connection)
                } catch {
                    if !connection.isHealthy { current = nil }
                    throw error
                }
            }
        }

        /// Drops the connection (closing it). Blocking.
        func discard() { current.withLock { $0 = nil } }
    }
}
