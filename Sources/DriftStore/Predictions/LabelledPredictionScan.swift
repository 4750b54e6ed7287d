import DriftCore
import PostgresDriver

/// Reads a model's labelled predictions (events joined with their ground truth) for training and for the
/// champion–challenger comparison (blocking calls: run them inside `PostgresPool.withConnection`).
package enum LabelledPredictionScan {
    /// One labelled event.
    package struct Row: Sendable {
        package var predictionID: String
        /// µs since the epoch.
        package var eventTime: Int64
        /// In the model schema's numeric-feature order; nil is missing.
        package var numeric: [Double?]
        package var categorical: [String?]
        /// What the serving model predicted (as logged).
        package var prediction: String?
        package var score: Double?
        /// Class label (classification) …
        package var label: String?
        /// … or target value (regression).
        package var value: Double?
    }

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
            SELECT p.prediction_id, (extract(epoch FROM p.event_time) * 1000000)::int8,
                   array_to_json(p.numeric_features)::text, array_to_json(p.category_features)::text,
                   p.prediction, p.score, l.label, l.value
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
            for r in 0..<rows.count {
                out.append(
                    Row(
                        predictionID: try rows.value(r, 0, purpose: purpose) ?? "",
                        eventTime: try rows.value(r, 1, purpose: purpose) ?? 0,
                        numeric: try PredictionScan.numbers(
                            rows.value(r, 2, as: String.self, purpose: purpose), purpose),
                        categorical: try PredictionScan.strings(
                            rows.value(r, 3, as: String.self, purpose: purpose), purpose),
                        prediction: try rows.value(r, 4, purpose: purpose),
                        score: try rows.value(r, 5, purpose: purpose),
                        label: try rows.value(r, 6, purpose: purpose),
                        value: try rows.value(r, 7, purpose: purpose)))
            }
        }
        out.reverse()
        return out
    }
}
