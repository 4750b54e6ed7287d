import DriftCore
import PostgresDriver

/// Reads a model's labelled predictions (events joined with their ground truth) for training and for the
/// champion–challenger comparison (blocking calls: run them inside `PostgresPool.withConnection`).
package enum LabelledPredictionScan {
    /// One labelled event.
    package typealias Row = StoredPrediction

    /// The event time of the model's newest labelled prediction.
    package static func newestEventTime(modelID: Int64, on connection: PostgresConnection) throws -> Int64? {
        let purpose = "find newest labelled prediction"
        return try connection.query(
            """
            SELECT (extract(epoch FROM max(p.event_time)) * 1000000)::int8
            FROM labels l JOIN predictions p ON p.model_id = l.model_id AND p.prediction_id = l.prediction_id
            WHERE l.model_id = $1
            """, [.int(Int(modelID))], purpose: purpose
        ).scalar(Int64.self, purpose: purpose)
    }

    /// The newest `limit` labelled predictions with event time in [from, to], oldest first.
    package static func rows(
        modelID: Int64, from: Int64, to: Int64, limit: Int, on connection: PostgresConnection
    ) throws -> [Row] {
        let purpose = "read labelled predictions"
        var out: [Row] = []
        let sql = """
            SELECT \(StoredPrediction.columns)
            FROM predictions p
            JOIN labels l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
            WHERE p.model_id = $1 AND p.event_time >= $2::timestamptz AND p.event_time <= $3::timestamptz
            ORDER BY p.event_time DESC, p.prediction_id DESC
            LIMIT $4
            """
        let parameters: [PostgresParameter] = [
            .int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: from)),
            .string(PostgresTimestamp.text(microseconds: to)), .int(limit),
        ]
        try connection.forEachBatch(of: sql, parameters, batch: PredictionScan.batch, purpose: purpose) { rows in
            for r in 0..<rows.count { out.append(try StoredPrediction.decode(rows, r, purpose: purpose)) }
        }
        out.reverse()
        return out
    }
}
