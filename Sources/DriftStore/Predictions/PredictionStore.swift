import PostgresDriver

/// Writes and reads raw prediction events (blocking calls: run them inside `PostgresPool.withConnection`).
///
/// `store` is idempotent on (model, prediction id, event time) and returns the exact number of new rows.
/// Fast path: the ids of the batch already stored are looked up (an index scan pruned to the partitions
/// of the batch's time range), and only the new rows are copied (COPY FROM STDIN) straight into
/// `predictions`. Should another writer store one of them in between, the COPY fails on the primary key
/// and the batch takes the safe path instead: COPY into a session-local staging table, then
/// `INSERT … ON CONFLICT DO NOTHING`, in one transaction. Daily partitions the batch needs are created
/// first, each in its own short transaction.
package enum PredictionStore {
    static let columns =
        "model_id, prediction_id, event_time, numeric_features, category_features, prediction, score, scores, latency_ms, model_version"

    /// Inserts `records` for `modelID`; returns how many were new.
    package static func insert(
        _ records: [PredictionRecord], modelID: Int64, on connection: PostgresConnection
    ) throws
        -> Int
    {
        try insertReturningTimes(records, modelID: modelID, on: connection).count
    }

    /// What storing a batch did.
    package struct Inserted: Sendable, Equatable {
        /// Event times of the events new to the database (retries of stored events are left out).
        package var freshTimes: [Int64]
        /// Where the model's closed windows ended when the batch was stored (µs), if any closed yet.
        package var closedThrough: Int64?
        /// How many of the new events fell before `closedThrough` (late: stored, counted in their closed
        /// window's `late_events`, not in its figures).
        package var late: Int
    }

    /// Stores events of `modelID` with binary COPY in one transaction; an event already stored (same id
    /// and event time: a retry) is skipped. The transaction first reads the model's window watermark
    /// `FOR SHARE` (see migration 0007), so an agent closing a window waits for it, and new events before
    /// the watermark are marked late for the closing agent to count.
    package static func store(
        _ records: [PredictionRecord], modelID: Int64, on connection: PostgresConnection
    )
        throws -> Inserted
    {
        guard !records.isEmpty else { return Inserted(freshTimes: [], closedThrough: nil, late: 0) }
        let days = Set(records.map { PostgresTimestamp.day(microseconds: $0.eventTime) })
        try PartitionManager.ensurePartitions(days: days, on: connection)
        let existing = try storedKeys(of: records, modelID: modelID, on: connection)
        var seen = Set<Key>()
        seen.reserveCapacity(records.count)
        let fresh = records.filter { r in
            let key = Key(id: r.predictionID, time: r.eventTime)
            return !existing.contains(key) && seen.insert(key).inserted
        }
        guard !fresh.isEmpty else { return Inserted(freshTimes: [], closedThrough: nil, late: 0) }
        do {
            return try connection.transaction(purpose: "insert predictions") {
                let closed = try WindowWatermark.share(modelID: modelID, on: connection)
                _ = try connection.copyInBinary(
                    "COPY predictions (\(columns)) FROM STDIN (FORMAT binary)", purpose: "insert predictions"
                ) { writer in try write(fresh, modelID: modelID, to: &writer) }
                let times = fresh.map(\.eventTime)
                let late = try WindowWatermark.markLate(times, before: closed, modelID: modelID, on: connection)
                return Inserted(freshTimes: times, closedThrough: closed, late: late)
            }
        } catch let error as PostgresError where error.sqlState == "23505" {
            return try insertThroughStaging(fresh, modelID: modelID, on: connection)
        }
    }

    /// `store`, returning the new events' times only.
    package static func insertReturningTimes(
        _ records: [PredictionRecord], modelID: Int64, on connection: PostgresConnection
    ) throws -> [Int64] {
        try store(records, modelID: modelID, on: connection).freshTimes
    }

    struct Key: Hashable {
        let id: String
        let time: Int64
    }

    /// The (id, event time) pairs of `records` already stored.
    static func storedKeys(
        of records: [PredictionRecord], modelID: Int64, on connection: PostgresConnection
    ) throws
        -> Set<Key>
    {
        let times = records.map(\.eventTime)
        guard let lo = times.min(), let hi = times.max() else { return [] }
        let ids = "{" + records.map { ArrayLiteral.quoted($0.predictionID) }.joined(separator: ",") + "}"
        let rows = try connection.query(
            """
            SELECT prediction_id, (extract(epoch FROM event_time) * 1000000)::int8 FROM predictions
            WHERE model_id = $1 AND event_time BETWEEN $2::timestamptz AND $3::timestamptz
              AND prediction_id = ANY($4::text[])
            """,
            [
                .int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: lo)),
                .string(PostgresTimestamp.text(microseconds: hi)), .string(ids),
            ], purpose: "look up stored predictions")
        var keys = Set<Key>()
        for row in rows.rows {
            if let id = row[0], let time = row[1].flatMap({ Int64($0) }) { keys.insert(Key(id: id, time: time)) }
        }
        return keys
    }

    /// The rows in binary COPY form, in the order of `columns`.
    static func write(_ records: [PredictionRecord], modelID: Int64, to writer: inout BinaryCopyWriter) throws {
        for r in records {
            writer.int8(modelID)
            writer.text(r.predictionID)
            writer.timestamptz(microseconds: r.eventTime)
            writer.float8Array(r.numericFeatures)
            writer.textArray(r.categoryFeatures)
            writer.text(r.prediction)
            writer.float8(r.score)
            writer.float8Array(r.scores.map { $0.map { Optional($0) } })
            writer.float8(r.latencyMilliseconds)
            writer.text(r.modelVersion)
            try writer.endRow()
        }
    }

    /// The safe path: COPY into staging, then INSERT … ON CONFLICT DO NOTHING. The partitions of the
    /// rows must exist (`insert` creates them first).
    static func insertThroughStaging(
        _ records: [PredictionRecord], modelID: Int64, on connection: PostgresConnection
    )
        throws -> Inserted
    {
        let purpose = "insert predictions"
        try connection.ensureStagingTable("predictions_staging", like: "predictions", purpose: purpose)
        return try connection.transaction(purpose: purpose) {
            let closed = try WindowWatermark.share(modelID: modelID, on: connection)
            _ = try connection.copyInBinary(
                "COPY predictions_staging (\(columns)) FROM STDIN (FORMAT binary)", purpose: purpose
            ) { writer in try write(records, modelID: modelID, to: &writer) }
            let moved = try connection.query(
                """
                INSERT INTO predictions SELECT * FROM predictions_staging ON CONFLICT DO NOTHING
                RETURNING (extract(epoch FROM event_time) * 1000000)::int8
                """, purpose: purpose)
            let times = moved.rows.compactMap { $0[0].flatMap { Int64($0) } }
            let late = try WindowWatermark.markLate(times, before: closed, modelID: modelID, on: connection)
            return Inserted(freshTimes: times, closedThrough: closed, late: late)
        }
    }

    /// Number of stored events of `modelID`.
    package static func count(modelID: Int64, on connection: PostgresConnection) throws -> Int {
        try connection.query(
            "SELECT count(*) FROM predictions WHERE model_id = $1", [.int(Int(modelID))], purpose: "count predictions"
        ).scalar(Int.self, purpose: "count predictions") ?? 0
    }
}

/// PostgreSQL array literals (`{1.5,NULL}`, `{"a b",NULL}`).
enum ArrayLiteral {
    /// A quoted array element: backslash and double quote escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\\" || ch == "\"" { out.append("\\") }
            out.unicodeScalars.append(ch)
        }
        return out + "\""
    }
}
