import DriftStore
import Logging
import PostgresDriver
import Synchronization

/// The window closer's own database session (outside the pool): it holds the leader lock, when agents
/// elect one, and the window watermark's row lock while a closing window takes its snapshot
/// (`WindowWatermark`).
///
/// Leadership: several agents on one database each run a closer, and the one holding the session-level
/// advisory lock `pg_try_advisory_lock(4924478712580359506)` ("DWCLOSER") closes windows, judges rules
/// and refreshes performance; the others ingest, serve and train. When the leader's session ends — it
/// stopped, crashed or lost its connection — PostgreSQL releases the lock and the next agent to ask takes it.
final class WindowCloserSession: Sendable {
    static let lockKey: Int64 = 4_924_478_712_580_359_506
    let connection: DedicatedConnection
    let electLeader: Bool
    /// The session the lock was taken in (0: not held).
    let held = Mutex<Int>(0)

    init(pool: PostgresPool, electLeader: Bool, logger: Logger) {
        connection = DedicatedConnection(configuration: pool.configuration, label: "window-closer", logger: logger)
        self.electLeader = electLeader
    }

    /// Whether this agent leads (always, when agents do not elect one). Takes the lock when it is free.
    func lead() async -> Bool {
        guard electLeader else { return true }
        do {
            return try await connection.run(purpose: "take the window-closer lock") { c, session -> Bool in
                if self.held.withLock({ $0 }) == session {
                    _ = try c.query("SELECT 1", purpose: "check the window-closer session")
                    return true
                }
                let taken =
                    try c.query(
                        "SELECT pg_try_advisory_lock($1)", [.int(Int(Self.lockKey))],
                        purpose: "take the window-closer lock"
                    ).scalar(Bool.self, purpose: "take the window-closer lock") ?? false
                self.held.withLock { $0 = taken ? session : 0 }
                return taken
            }
        } catch {
            held.withLock { $0 = 0 }
            return false
        }
    }

    /// Opens a transaction that moves the model's watermark to `end`, waiting for every ingest
    /// transaction in flight (any agent's); it stays open until `commit` or `rollback`.
    func advanceWatermark(modelID: Int64, to end: Int64) async throws {
        try await connection.run(purpose: "advance window watermark") { c, _ in
            _ = try c.query("BEGIN", purpose: "advance window watermark")
            do {
                try WindowWatermark.advance(modelID: modelID, to: end, on: c)
            } catch {
                _ = try? c.query("ROLLBACK", purpose: "advance window watermark")
                throw error
            }
        }
    }

    /// Commits the watermark transaction from a thread that may block (the snapshot callback).
    func commitBlocking() throws {
        try connection.runBlocking(purpose: "commit window watermark") { c in
            _ = try c.query("COMMIT", purpose: "commit window watermark")
        }
    }

    /// Ends a watermark transaction that is still open (after a failure, or cancelled), dropping its change.
    func rollback() async {
        _ = try? await connection.run(purpose: "roll back window watermark", evenIfCancelled: true) { c, _ in
            if c.inTransaction { _ = try c.query("ROLLBACK", purpose: "roll back window watermark") }
        }
    }
}
