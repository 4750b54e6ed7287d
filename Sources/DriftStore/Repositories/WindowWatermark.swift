import PostgresDriver

/// Each model's window watermark (`window_watermarks`): where its closed windows end, shared by every agent
/// on the database (blocking calls: run them inside a transaction of the caller's).
///
/// The protocol that makes "late" exact across agents:
/// - an ingest transaction calls `share` first: it reads the watermark under a `FOR SHARE` row lock held
///   until it commits, and marks its new events before the watermark as late (`markLate`);
/// - the agent closing a window calls `advance` in a transaction of its own, which waits for every ingest
///   transaction in flight to commit and holds back new ones; while it holds that, it takes the window's
///   REPEATABLE READ snapshot on another connection, and only then commits.
/// An event is therefore either committed before the snapshot and judged against the old watermark (in the
/// window's figures), or judged against the new one (late, and invisible to the snapshot).
package enum WindowWatermark {
    /// Reads the model's watermark (µs; nil before its first closed window) under a share lock.
    package static func share(modelID: Int64, on connection: PostgresConnection) throws -> Int64? {
        let purpose = "read window watermark"
        _ = try connection.query(
            "INSERT INTO window_watermarks (model_id) VALUES ($1) ON CONFLICT DO NOTHING", [.int(Int(modelID))],
            purpose: purpose)
        return try connection.query(
            """
            SELECT (extract(epoch FROM closed_through) * 1000000)::int8 FROM window_watermarks
            WHERE model_id = $1 FOR SHARE
            """, [.int(Int(modelID))], purpose: purpose
        ).scalar(Int64.self, purpose: purpose)
    }

    /// Moves the watermark forward to `end` (never back), waiting for ingest transactions in flight.
    package static func advance(modelID: Int64, to end: Int64, on connection: PostgresConnection) throws {
        _ = try connection.query(
            """
            INSERT INTO window_watermarks (model_id, closed_through) VALUES ($1, $2::timestamptz)
            ON CONFLICT (model_id) DO UPDATE
                SET closed_through = greatest(window_watermarks.closed_through, EXCLUDED.closed_through)
            """, [.int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: end))],
            purpose: "advance window watermark")
    }

    /// Marks the events of `times` before `closed` as late; returns how many.
    static func markLate(
        _ times: [Int64], before closed: Int64?, modelID: Int64, on connection: PostgresConnection
    )
        throws -> Int
    {
        guard let closed else { return 0 }
        let late = times.filter { $0 < closed }
        guard !late.isEmpty else { return 0 }
        let list = "{" + late.map { "\"\(PostgresTimestamp.text(microseconds: $0))\"" }.joined(separator: ",") + "}"
        _ = try connection.query(
            "INSERT INTO late_event_marks (model_id, event_time) SELECT $1, unnest($2::timestamptz[])",
            [.int(Int(modelID)), .string(list)], purpose: "mark late events")
        return late.count
    }

    /// Takes the model's late marks (their event times), deleting them; the caller counts them into their
    /// windows in the same transaction.
    package static func takeLateMarks(modelID: Int64, on connection: PostgresConnection) throws -> [Int64] {
        let purpose = "take late event marks"
        return try connection.query(
            """
            DELETE FROM late_event_marks WHERE model_id = $1
            RETURNING (extract(epoch FROM event_time) * 1000000)::int8
            """, [.int(Int(modelID))], purpose: purpose
        ).rows.compactMap { $0[0].flatMap { Int64($0) } }
    }
}
