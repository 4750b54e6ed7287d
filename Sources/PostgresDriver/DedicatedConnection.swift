import Dispatch
import Logging

/// One database session kept for a purpose of its own — a session-level advisory lock, a transaction held
/// open across awaits — outside the pool. Calls run one at a time on its serial queue (never on the
/// cooperative pool); the connection is opened on first use and again after it broke.
///
/// `@unchecked Sendable`: the connection is only ever touched on `queue`, which serializes every use.
package final class DedicatedConnection: @unchecked Sendable {
    let configuration: PostgresConfiguration
    let logger: Logger
    let queue: DispatchQueue
    var connection: PostgresConnection?
    /// Bumped whenever a new session is opened (so holders of session state can tell it was lost).
    var generation = 0

    package init(configuration: PostgresConfiguration, label: String, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        queue = DispatchQueue(label: "driftwatch.dedicated.\(label)")
    }

    /// Runs `body` on the session; `session` says which session it was (it changes when the connection was
    /// reopened, and with it any session-level lock is gone).
    package func run<T: Sendable>(
        purpose: String, _ body: @escaping @Sendable (PostgresConnection, _ session: Int) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(
                    with: Result {
                        if let c = self.connection, !c.isHealthy { self.connection = nil }
                        let c: PostgresConnection
                        if let open = self.connection {
                            c = open
                        } else {
                            c = try PostgresConnection(configuration: self.configuration, logger: self.logger)
                            self.connection = c
                            self.generation += 1
                        }
                        do {
                            return try body(c, self.generation)
                        } catch {
                            if !c.isHealthy { self.connection = nil }
                            throw error
                        }
                    })
            }
        }
    }

    /// `run` for callers already on a thread that may block (e.g. inside another connection's blocking
    /// call): waits on the queue synchronously. Never call it from the cooperative pool.
    package func runBlocking<T>(purpose: String, _ body: (PostgresConnection) throws -> T) throws -> T {
        try queue.sync {
            guard let c = connection, c.isHealthy else {
                throw PostgresError(.connection, purpose: purpose, message: "the dedicated session is closed")
            }
            return try body(c)
        }
    }

    /// Closes the session (its locks go with it).
    package func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection = nil
                continuation.resume()
            }
        }
    }
}
