/// Applies retention to a model's raw data (blocking calls: run them inside `PostgresPool.withConnection`):
/// prediction events by event time, labels by label time, CloudEvent halves by arrival.
public enum RetentionStore {
    /// Deletes the events of `modelID` with event time before `cutoff` (µs); returns how many.
    @discardableResult
    public static func deleteEvents(
        modelID: Int64, before cutoff: Int64, on connection: PostgresConnection
    ) throws -> Int {
        try delete(
            "DELETE FROM predictions WHERE model_id = $1 AND event_time < $2::timestamptz", modelID, cutoff, connection)
    }

    /// Deletes the labels of `modelID` whose label time is before `cutoff` (µs); returns how many.
    @discardableResult
    public static func deleteLabels(
        modelID: Int64, before cutoff: Int64, on connection: PostgresConnection
    ) throws -> Int {
        try delete(
            "DELETE FROM labels WHERE model_id = $1 AND label_time < $2::timestamptz", modelID, cutoff, connection)
    }

    /// Deletes the CloudEvent halves of `modelID` received before `cutoff` (µs); returns how many.
    @discardableResult
    public static func deleteCloudEventHalves(
        modelID: Int64, before cutoff: Int64, on connection: PostgresConnection
    ) throws -> Int {
        try delete(
            "DELETE FROM cloudevent_halves WHERE model_id = $1 AND received_at < $2::timestamptz", modelID, cutoff,
            connection)
    }

    static func delete(
        _ sql: String, _ modelID: Int64, _ cutoff: Int64, _ connection: PostgresConnection
    ) throws
        -> Int
    {
        try connection.query(
            sql, [.int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: cutoff))], purpose: "apply retention"
        ).affectedRows
    }
}
