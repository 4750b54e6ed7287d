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
        let closedEnd = await windows.beginIngest(name)
        let freshTimes: [Int64]
        do {
            freshTimes = try await pool.withConnection(purpose: "store predictions") {
                try PredictionStore.insertReturningTimes(records, modelID: modelID, on: $0)
            }
        } catch {
            await windows.endIngest(name)
            throw error
        }
        await windows.endIngest(name)
        metrics.recordCommit(kind: "predictions", seconds: ContinuousClock.now - started)
        var batch = StoredBatch(fresh: freshTimes.count, late: 0)
        if let closedEnd {
            let late = freshTimes.filter { $0 < closedEnd }
            if !late.isEmpty {
                batch.late = late.count
                metrics.countLate(model: name, late.count)
                await windows.noteLate(name, late)
            }
        }
        return batch
    }
}
