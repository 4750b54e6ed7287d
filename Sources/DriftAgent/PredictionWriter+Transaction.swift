import DriftStore

extension AgentEnvironment {
    /// `storePredictions` with a claim in the same transaction: `claim` runs first on the transaction's
    /// connection (e.g. advancing a tailed file's offset, its row locked until the commit); when it returns
    /// false nothing is stored and nil is returned. So the events and whatever `claim` records commit
    /// together or not at all. The window bookkeeping and late counting are those of `storePredictions`.
    func storePredictions(
        _ records: [PredictionRecord], model name: String, modelID: Int64, purpose: String,
        claim: @escaping @Sendable (PostgresConnection) throws -> Bool
    ) async throws -> StoredBatch? {
        let started = ContinuousClock.now
        let closedEnd = await windows.beginIngest(name)
        let freshTimes: [Int64]?
        do {
            freshTimes = try await pool.withConnection(purpose: purpose) { connection in
                try connection.transaction(purpose: purpose) { () throws -> [Int64]? in
                    guard try claim(connection) else { return nil }
                    return try PredictionStore.insertReturningTimes(records, modelID: modelID, on: connection)
                }
            }
        } catch {
            await windows.endIngest(name)
            throw error
        }
        await windows.endIngest(name)
        guard let freshTimes else { return nil }
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

    /// Stores labels of one model with `claim` in the same transaction (see `storePredictions(_:model:
    /// modelID:purpose:claim:)`); nil when `claim` returned false and nothing was stored, else the number
    /// of labels inserted or changed.
    func storeLabels(
        _ records: [LabelStore.Record], modelID: Int64, purpose: String,
        claim: @escaping @Sendable (PostgresConnection) throws -> Bool
    ) async throws -> Int? {
        let started = ContinuousClock.now
        let changed = try await pool.withConnection(purpose: purpose) { connection in
            try connection.transaction(purpose: purpose) { () throws -> Int? in
                guard try claim(connection) else { return nil }
                return try LabelStore.upsert(records, modelID: modelID, on: connection)
            }
        }
        if changed != nil { metrics.recordCommit(kind: "labels", seconds: ContinuousClock.now - started) }
        return changed
    }
}
