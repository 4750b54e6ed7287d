import DriftSystem
import Logging
import Synchronization

/// One database session kept for a purpose of its own — a session-level advisory lock, a transaction held
/// open across awaits — outside the pool. Calls run one at a time on the `BlockingExecutor` (never on the
/// cooperative pool), serialized by the session's mutex; the connection is opened on first use and again
/// after it broke.
package final class DedicatedConnection: Sendable {
    /// The open connection, if any, and how many sessions were opened so far.
    struct Session {
        var connection: PostgresConnection?
        /// Bumped whenever a new session is opened (so holders of session state can tell it was lost).
        var generation = 0
    }

    let configuration: PostgresConfiguration
    let logger: Logger
    let session = Mutex(Session())

    package init(configuration: PostgresConfiguration, label: String, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` on the session; `session` says which session it was (it changes when the connection was
    /// reopened, and with it any session-level lock is gone). `evenIfCancelled`: run it in a cancelled task
    /// too (cleaning up: a rollback); otherwise a task cancelled before it starts throws `CancellationError`.
    package func run<T: Sendable>(
        purpose: String, evenIfCancelled: Bool = false,
        _ body: @escaping @Sendable (PostgresConnection, _ session: Int) throws -> T
    ) async throws -> T {
        let work = { @Sendable in try self.runBlocking(opening: true, purpose: purpose, body) }
        return
            evenIfCancelled
            ? try await BlockingExecutor.shared.runEvenIfCancelled(work) : try await BlockingExecutor.shared.run(work)
    }

    /// `run` for callers already on a thread that may block (e.g. inside another connection's blocking
    /// call): waits for the session's mutex on this thread. Never call it from the cooperative pool.
    package func runBlocking<T: Sendable>(
        purpose: String, _ body: @Sendable (PostgresConnection) throws -> T
    ) throws -> T {
        try runBlocking(opening: false, purpose: purpose) { c, _ in try body(c) }
    }

    /// Runs `body` holding the session; `opening`: (re)connects when the session is closed or broken,
    /// else fails. Blocking.
    func runBlocking<T: Sendable>(
        opening: Bool, purpose: String, _ body: @Sendable (PostgresConnection, _ session: Int) throws -> T
    ) throws -> T {
        try session.withLock { state -> T in
            if let c = state.connection, !c.isHealthy { state.connection = nil }
            let c: PostgresConnection
            if let open = state.connection {
                c = open
            } else if opening {
                c = try PostgresConnection(configuration: configuration, logger: logger)
                state.connection = c
                state.generation += 1
            } else {
                throw PostgresError(.connection, purpose: purpose, message: "the dedicated session is closed")
            }
            do {
                return try body(c, state.generation)
            } catch {
                if !c.isHealthy { state.connection = nil }
                throw error
            }
        }
    }

    /// Closes the session (its locks go with it), also in a cancelled task.
    package func close() async {
        _ = try? await BlockingExecutor.shared.runEvenIfCancelled {
            self.session.withLock { $0.connection = nil }
        }
    }
}
