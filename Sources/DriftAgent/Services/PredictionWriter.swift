import DriftStore
import PostgresDriver

extension AgentEnvironment {
    /// What storing a batch of predictions did.
    struct StoredBatch {
        /// Events new to the database (the rest were retries of stored ones).
        var fresh: Int
        /// New events of windows already closed: stored, counted late, not in those windows' figures.
        var late: Int
    }

    /// Stores predictions of one model (one transaction) and does the window bookkeeping every ingest path
    /// shares: the window closer waits for batches in flight, and late events are counted.
    func storePredictions(
        _ records: [PredictionRecord], model name: String, modelID: Int64
    ) async throws
        -> StoredBatch
    {
        try await storePredictions(records, model: name, modelID: modelID, purpose: "store predictions", claimedBy: nil)
            ?? StoredBatch(fresh: 0, late: 0)
    }

    /// The one implementation: with `claim`, it runs first in the storing transaction and, returning false,
    /// stores nothing (nil).
    func storePredictions(
        _ records: [PredictionRecord], model name: String, modelID: Int64, purpose: String,
        claimedBy claim: (@Sendable (PostgresConnection) throws -> Bool)?
    ) async throws -> StoredBatch? {
        let started = ContinuousClock.now
        _ = await windows.beginIngest(name)
        let inserted: PredictionStore.Inserted?
        do {
            inserted = try await pool.withConnection(purpose: purpose) { connection in
                guard let claim else { return try PredictionStore.store(records, modelID: modelID, on: connection) }
                return try connection.transaction(purpose: purpose) { () throws -> PredictionStore.Inserted? in
                    guard try claim(connection) else { return nil }
                    return try PredictionStore.store(records, modelID: modelID, on: connection)
                }
            }
        } catch {
            await windows.endIngest(name)
            throw error
        }
        await windows.endIngest(name)
        guard let inserted else { return nil }
        partitions.insert(Set(records.map { PostgresTimestamp.day(microseconds: $0.eventTime) }))
        metrics.recordCommit(kind: "predictions", seconds: ContinuousClock.now - started)
        // Late (judged against the database's watermark, see `WindowWatermark`): stored, marked for the
        // closing agent to count, not in those windows' figures.
        if inserted.late > 0 { metrics.countLate(model: name, inserted.late) }
        return StoredBatch(fresh: inserted.freshTimes.count, late: inserted.late)
    }
}
