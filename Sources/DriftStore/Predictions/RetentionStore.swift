/// Applies retention to raw prediction events (blocking calls: run them inside `PostgresPool.withConnection`).
public enum RetentionStore {
    /// Deletes the events of `modelID` with event time before `cutoff` (µs); returns how many.
    @discardableResult
    public static func deleteEvents(
        modelID: Int64, before cutoff: Int64, on connection: PostgresConnection
    ) throws -> Int {
        try connection.query(
            "DELETE FROM predictions WHERE model_id = $1 AND event_time < $2::timestamptz",
            [.int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: cutoff))],
            purpose: "apply retention"
        ).affectedRows
    }
}
