/// What the ingest routes and the window closer share about each model's windows: where the closed
/// windows end (events before that are late), when the model last received events (an idle model's open
/// windows close after its allowed lateness of wall time), and the hand-over that makes "late" exact.
///
/// The hand-over: an ingest batch holds a shared lease from reading the closed end until its commit; a
/// closing window takes the lease exclusively, announces its end, and gives the lease back as soon as its
/// read of the window has its snapshot (REPEATABLE READ). So a batch either committed before that snapshot
/// — it was judged against the old end, and the window counts it — or reads the new end and is counted
/// late, and the snapshot does not see it. Never both, never neither. Within one agent this keeps ingest
/// from waiting on the database; across agents `WindowWatermark` does the same through PostgreSQL row locks.
package actor WindowRegistry {
    var closedThrough: [String: Int64] = [:]
    var lastIngest: [String: ContinuousClock.Instant] = [:]
    var labelCheckpoints: [String: Int64] = [:]
    let startedAt = ContinuousClock.now
    var activeIngests: [String: Int] = [:]
    var closing: Set<String> = []
    var ingestWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    var closeWaiters: [String: CheckedContinuation<Void, Never>] = [:]

    package init() {}

    /// The end of the model's last closed (or closing) window, µs; events before it are late.
    package func closedEnd(_ model: String) -> Int64? { closedThrough[model] }

    /// Moves the closed end forward (never back).
    package func close(_ model: String, through end: Int64) {
        closedThrough[model] = max(closedThrough[model] ?? .min, end)
    }

    /// Starts an ingest batch: waits while a window of the model is taking its snapshot, notes the model
    /// as busy now, and returns the closed end to judge the batch against. Pair with `endIngest`.
    func beginIngest(_ model: String) async -> Int64? {
        while closing.contains(model) {
            await withCheckedContinuation { ingestWaiters[model, default: []].append($0) }
        }
        activeIngests[model, default: 0] += 1
        lastIngest[model] = .now
        return closedThrough[model]
    }

    /// Ends an ingest batch (committed or failed).
    func endIngest(_ model: String) {
        activeIngests[model, default: 1] -= 1
        if activeIngests[model] == 0, let waiter = closeWaiters.removeValue(forKey: model) { waiter.resume() }
    }

    /// Starts closing a window ending at `end`: new batches wait, batches in flight finish, the end is
    /// announced. Pair with `endClose` once the window's read has its snapshot.
    func beginClose(_ model: String, through end: Int64) async {
        closing.insert(model)
        if activeIngests[model, default: 0] > 0 {
            await withCheckedContinuation { closeWaiters[model] = $0 }
        }
        close(model, through: end)
    }

    /// Lets waiting batches go on (idempotent).
    func endClose(_ model: String) {
        guard closing.remove(model) != nil else { return }
        for waiter in ingestWaiters.removeValue(forKey: model) ?? [] { waiter.resume() }
    }

    /// Notes that the model received events now.
    package func touch(_ model: String) { lastIngest[model] = .now }

    /// Wall time since the model's last events (or since the agent started, when none came since).
    package func idleTime(_ model: String) -> Duration { ContinuousClock.now - (lastIngest[model] ?? startedAt) }

    /// Label arrival time (database clock, µs) up to which the model's windows are up to date.
    func labelCheckpoint(_ model: String) -> Int64? { labelCheckpoints[model] }

    func setLabelCheckpoint(_ model: String, _ value: Int64) { labelCheckpoints[model] = value }
}
