import DriftCore
import PostgresDriver

/// Reads stored predictions with their labels for reports, in batches through a server-side cursor (memory
/// bounded by the batch), optionally a deterministic sample: the events whose prediction id hashes to 0
/// modulo `everyNth` (PostgreSQL's `hashtext`), so a report of a long range reads about 1/`everyNth` of it
/// and the same report reads the same events every time (blocking calls: run them inside
/// `PostgresPool.withConnection`).
package enum ReportScan {
    /// One stored event: its features (schema order), prediction and label (nil until it arrives).
    package typealias Row = StoredPrediction

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
            SELECT \(StoredPrediction.columns)
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
            for r in 0..<rows.count { out.append(try StoredPrediction.decode(rows, r, purpose: purpose)) }
            try body(out)
        }
    }
}
