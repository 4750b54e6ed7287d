import Dispatch
import Logging

/// A bounded pool of PostgreSQL connections. Each connection lives on its own serial dispatch queue
/// (a thread made for blocking work), so libpq's blocking calls never run on Swift's cooperative
/// thread pool. `withConnection` leases one connection to one task at a time; tasks beyond the pool's
/// size wait in FIFO order. A connection found broken (e.g. after the server restarted) is replaced
/// by a new one on the next lease. At most `maxWaiting` tasks wait: beyond that a lease fails at once
/// with `.overloaded` (back-pressure: the agent answers 503 with `Retry-After` instead of queueing work,
/// and the memory it holds, without bound).
package actor PostgresPool {
    package nonisolated let configuration: PostgresConfiguration
    package let size: Int
    package let maxWaiting: Int
    let logger: Logger
    private var idle: [Slot]
    private var waiters: [CheckedContinuation<Slot, any Error>] = []
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

    /// Runs `body` with a leased connection on that connection's own thread and returns its result.
    /// `purpose` names the work in errors and logs.
    package func withConnection<T: Sendable>(
        purpose: String, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let slot = try await lease()
        defer { release(slot) }
        let configuration = self.configuration
        let logger = self.logger
        return try await withCheckedThrowingContinuation { continuation in
            slot.queue.async {
                continuation.resume(
                    with: Result {
                        let connection = try slot.connection(configuration: configuration, logger: logger)
                        do {
                            return try body(connection)
                        } catch {
                            if !connection.isHealthy { slot.discard() }
                            throw error
                        }
                    })
            }
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
            waiter.resume(throwing: PostgresError(.poolClosed, purpose: "lease", message: "the pool is closed"))
        }
        waiters.removeAll()
        for slot in idle { slot.queue.sync { slot.discard() } }
    }

    private func lease() async throws -> Slot {
        if closed { throw PostgresError(.poolClosed, purpose: "lease", message: "the pool is closed") }
        if let slot = idle.popLast() { return slot }
        guard waiters.count < maxWaiting else {
            throw PostgresError(
                .overloaded, purpose: "lease",
                message: "all \(size) database connections are busy and \(maxWaiting) tasks are waiting for one")
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func release(_ slot: Slot) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: slot)
        } else {
            idle.append(slot)
        }
    }

    /// One pooled connection and the queue it is used on.
    /// `@unchecked Sendable`: `current` is read and written only on `queue` (serial), by the one task
    /// that holds the lease; the pool's actor hands a slot to one lessee at a time.
    final class Slot: @unchecked Sendable {
        let index: Int
        let queue: DispatchQueue
        private var current: PostgresConnection?

        init(index: Int) {
            self.index = index
            queue = DispatchQueue(label: "driftwatch.postgres.connection.\(index)")
        }

        /// The slot's connection, (re)connecting when there is none or it is broken. On `queue` only.
        func connection(configuration: PostgresConfiguration, logger: Logger) throws -> PostgresConnection {
            if let current, current.pollIsAlive() { return current }
            if current != nil { logger.info("reconnecting to PostgreSQL", metadata: ["slot": "\(index)"]) }
            current = nil
            let fresh = try PostgresConnection(configuration: configuration, logger: logger)
            current = fresh
            return fresh
        }

        /// Drops the connection (closing it). On `queue` only.
        func discard() { current = nil }
    }
}
