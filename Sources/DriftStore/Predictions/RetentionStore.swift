import PostgresDriver

/// Applies retention to a model's raw data (blocking calls: run them inside `PostgresPool.withConnection`).
package enum RetentionStore {
    /// What retention deletes, and by which time.
    package enum Kind: Sendable, CaseIterable {
        /// Prediction events, by event time.
        case events
        /// Labels, by label time.
        case labels
        /// CloudEvent halves, by arrival.
        case cloudEventHalves

        var statement: String {
            switch self {
            case .events: return "DELETE FROM predictions WHERE model_id = $1 AND event_time < $2::timestamptz"
            case .labels: return "DELETE FROM labels WHERE model_id = $1 AND label_time < $2::timestamptz"
            case .cloudEventHalves:
                return "DELETE FROM cloudevent_halves WHERE model_id = $1 AND received_at < $2::timestamptz"
            }
        }
    }

    /// Deletes the rows of `kind` of `modelID` older than `cutoff` (µs); returns how many.
    @discardableResult
    package static func delete(
        _ kind: Kind, modelID: Int64, before cutoff: Int64, on connection: PostgresConnection
    ) throws -> Int {
        try connection.query(
            kind.statement, [.int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: cutoff))],
            purpose: "apply retention"
        ).affectedRows
    }
}
