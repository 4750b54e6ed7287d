import DriftStore

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
        let started = ContinuousClock.now
        _ = await windows.beginIngest(name)
        let inserted: PredictionStore.Inserted
        do {
            inserted = try await pool.withConnection(purpose: "store predictions") {
                try PredictionStore.store(records, modelID: modelID, on: $0)
            }
        } catch {
            await windows.endIngest(name)
            throw error
        }
        await windows.endIngest(name)
        metrics.recordCommit(kind: "predictions", seconds: ContinuousClock.now - started)
        // Late (judged against the database's watermark, see `WindowWatermark`): stored, marked for the
        // closing agent to count, not in those windows' figures.
        if inserted.late > 0 { metrics.countLate(model: name, inserted.late) }
        let batch = StoredBatch(fresh: inserted.freshTimes.count, late: inserted.late)
        return batch
    }
}
