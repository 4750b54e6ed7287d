import DriftCore
import PostgresDriver

/// Reads stored predictions with their labels for reports, in batches through a server-side cursor (memory
/// bounded by the batch), optionally a deterministic sample: the events whose prediction id hashes to 0
/// modulo `everyNth` (PostgreSQL's `hashtext`), so a report of a long range reads about 1/`everyNth` of it
/// and the same report reads the same events every time (blocking calls: run them inside
/// `PostgresPool.withConnection`).
package enum ReportScan {
    /// One stored event: its features (schema order), prediction and label (nil until it arrives).
    package struct Row: Sendable {
        package var eventTime: Int64
        package var numeric: [Double?]
        package var categorical: [String?]
        package var prediction: String?
        package var score: Double?
        /// The class label (classification).
        package var label: String?
        /// The true value (regression).
        package var labelValue: Double?
    }

    static let batch = 5000

    /// Calls `body` with the selected events of `modelID` in batches; `labelledOnly` reads only events that
    /// have a label.
    package static func forEach(
        modelID: Int64, _ selection: PredictionScan.Selection, everyNth: Int = 1, labelledOnly: Bool = false,
        on connection: PostgresConnection, _ body: ([Row]) throws -> Void
    ) throws {
        let purpose = "scan predictions for a report"
        var parameters: [PostgresParameter] = [.int(Int(modelID))]
        let source: String
        switch selection {
        case .timeRange(let from, let to):
            source = """
                (SELECT * FROM predictions WHERE model_id = $1 AND event_time >= $2::timestamptz
                 AND event_time < $3::timestamptz)
                """
            parameters += [
                .string(PostgresTimestamp.text(microseconds: from)), .string(PostgresTimestamp.text(microseconds: to)),
            ]
        case .first(let count):
            source = "(SELECT * FROM predictions WHERE model_id = $1 ORDER BY event_time, prediction_id LIMIT $2)"
            parameters.append(.int(count))
        }
        var sql = """
            SELECT (extract(epoch FROM p.event_time) * 1000000)::int8, array_to_json(p.numeric_features)::text,
                   array_to_json(p.category_features)::text, p.prediction, p.score, l.label, l.value
            FROM \(source) p \(labelledOnly ? "JOIN" : "LEFT JOIN") labels l
                ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
            """
        if everyNth > 1 {
            parameters.append(.int(everyNth))
            sql += " WHERE (hashtext(p.prediction_id) & 2147483647) % $\(parameters.count) = 0"
        }
        try connection.forEachBatch(of: sql, parameters, batch: batch, purpose: purpose) { rows in
            var out: [Row] = []
            out.reserveCapacity(rows.count)
            for r in 0..<rows.count {
                out.append(
                    Row(
                        eventTime: try rows.value(r, 0, purpose: purpose) ?? 0,
                        numeric: try PredictionScan.numbers(
                            rows.value(r, 1, as: String.self, purpose: purpose), purpose),
                        categorical: try PredictionScan.strings(
                            rows.value(r, 2, as: String.self, purpose: purpose), purpose),
                        prediction: try rows.value(r, 3, purpose: purpose),
                        score: try rows.value(r, 4, purpose: purpose),
                        label: try rows.value(r, 5, purpose: purpose),
                        labelValue: try rows.value(r, 6, purpose: purpose)))
            }
            try body(out)
        }
    }
}
