import PostgresDriver

/// A stored prediction event read back with its label (nil until the label arrives), as training and
/// reports scan them.
package struct StoredPrediction: Sendable {
    package var predictionID: String
    /// µs since the epoch.
    package var eventTime: Int64
    /// In the model schema's numeric-feature order; nil is missing.
    package var numeric: [Double?]
    package var categorical: [String?]
    /// What the serving model predicted (as logged).
    package var prediction: String?
    package var score: Double?
    /// The class label (classification) …
    package var label: String?
    /// … or the true value (regression).
    package var labelValue: Double?

    /// The columns every scan of stored predictions selects, in `decode`'s order; `p` is `predictions`,
    /// `l` is `labels`.
    static let columns = """
        p.prediction_id, (extract(epoch FROM p.event_time) * 1000000)::int8,
        array_to_json(p.numeric_features)::text, array_to_json(p.category_features)::text,
        p.prediction, p.score, l.label, l.value
        """

    /// Row `r` of a result selected with `columns`.
    static func decode(_ rows: PostgresRows, _ r: Int, purpose: String) throws -> StoredPrediction {
        StoredPrediction(
            predictionID: try rows.value(r, 0, purpose: purpose) ?? "",
            eventTime: try rows.value(r, 1, purpose: purpose) ?? 0,
            numeric: try PredictionScan.numbers(rows.value(r, 2, as: String.self, purpose: purpose), purpose),
            categorical: try PredictionScan.strings(rows.value(r, 3, as: String.self, purpose: purpose), purpose),
            prediction: try rows.value(r, 4, purpose: purpose), score: try rows.value(r, 5, purpose: purpose),
            label: try rows.value(r, 6, purpose: purpose), labelValue: try rows.value(r, 7, purpose: purpose))
    }
}
