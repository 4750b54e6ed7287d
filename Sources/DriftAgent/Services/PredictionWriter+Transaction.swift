import DriftStore
import PostgresDriver

extension AgentEnvironment {
    /// `storePredictions` with a claim in the same transaction: `claim` runs first on the transaction's
    /// connection (e.g. advancing a tailed file's offset, its row locked until the commit); when it returns
    /// false nothing is stored and nil is returned. So the events and whatever `claim` records commit
    /// together or not at all. The window bookkeeping and late counting are those of `storePredictions`.
    func storePredictions(
        _ records: [PredictionRecord], model name: String, modelID: Int64, purpose: String,
        claim: @escaping @Sendable (PostgresConnection) throws -> Bool
    ) async throws -> StoredBatch? {
        try await storePredictions(records, model: name, modelID: modelID, purpose: purpose, claimedBy: claim)
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
