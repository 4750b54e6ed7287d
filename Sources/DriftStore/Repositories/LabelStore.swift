import PostgresDriver

/// Ground-truth labels, joined to predictions by id whenever they arrive (blocking calls: run them inside
/// `PostgresPool.withConnection`).
package enum LabelStore {
    /// One label: a class (`label`) or a value (`value`, regression).
    package struct Record: Sendable, Equatable {
        package var predictionID: String
        package var label: String?
        package var value: Double?
        /// When the truth became known, microseconds since the Unix epoch (UTC).
        package var labelTime: Int64

        package init(predictionID: String, label: String? = nil, value: Double? = nil, labelTime: Int64) {
            self.predictionID = predictionID
            self.label = label
            self.value = value
            self.labelTime = labelTime
        }
    }

    /// Inserts or replaces labels (a corrected label replaces the earlier one) with one binary COPY into a
    /// staging table and one upsert, moving the counts of counted windows (`LabelCounts`) under the model's
    /// label lock; returns how many rows were inserted or changed.
    package static func upsert(_ records: [Record], modelID: Int64, on connection: PostgresConnection) throws -> Int {
        guard !records.isEmpty else { return 0 }
        let purpose = "store labels"
        try connection.execute(
            script: """
                CREATE TEMP TABLE IF NOT EXISTS labels_staging
                    (model_id bigint, prediction_id text, label text, value float8, label_time timestamptz)
                    ON COMMIT DELETE ROWS
                """, purpose: purpose)
        // The last label of an id within one batch wins.
        var latest: [String: Record] = [:]
        var order: [String] = []
        for r in records {
            if latest.updateValue(r, forKey: r.predictionID) == nil { order.append(r.predictionID) }
        }
        return try connection.transaction(purpose: purpose) {
            _ = try connection.copyInBinary(
                "COPY labels_staging (model_id, prediction_id, label, value, label_time) FROM STDIN (FORMAT binary)",
                purpose: purpose
            ) { writer in
                for id in order {
                    guard let r = latest[id] else { continue }
                    writer.int8(modelID)
                    writer.text(r.predictionID)
                    writer.text(r.label)
                    writer.float8(r.value)
                    writer.timestamptz(microseconds: r.labelTime)
                    try writer.endRow()
                }
            }
            try LabelCounts.lock(modelID: modelID, on: connection)
            try LabelCounts.applyStaged(modelID: modelID, on: connection)
            return try connection.query(
                """
                INSERT INTO labels (model_id, prediction_id, label, value, label_time)
                SELECT model_id, prediction_id, label, value, label_time FROM labels_staging
                ON CONFLICT (model_id, prediction_id) DO UPDATE
                    SET label = EXCLUDED.label, value = EXCLUDED.value, label_time = EXCLUDED.label_time,
                        received_at = now()
                    WHERE labels.label IS DISTINCT FROM EXCLUDED.label OR labels.value IS DISTINCT FROM EXCLUDED.value
                """, purpose: purpose
            ).affectedRows
        }
    }

    /// A prediction with its label (nil until the label arrives).
    package struct Labelled: Sendable, Equatable {
        package let predictionID: String
        package let eventTime: Int64
        package let prediction: String?
        package let score: Double?
        package let label: String?
        package let value: Double?
    }

    /// The predictions of `modelID` with event time in [from, to) joined with their labels, by event time.
    package static func joined(
        modelID: Int64, from: Int64, to: Int64, on connection: PostgresConnection
    ) throws
        -> [Labelled]
    {
        let purpose = "read labelled predictions"
        let rows = try connection.query(
            """
            SELECT p.prediction_id, (extract(epoch FROM p.event_time) * 1000000)::int8, p.prediction, p.score,
                   l.label, l.value
            \(windowJoin)
            ORDER BY p.event_time, p.prediction_id
            """,
            windowParameters(modelID: modelID, from: from, to: to), purpose: purpose)
        return try (0..<rows.count).map { r in
            Labelled(
                predictionID: try rows.value(r, 0, as: String.self, purpose: purpose) ?? "",
                eventTime: try rows.value(r, 1, as: Int64.self, purpose: purpose) ?? 0,
                prediction: try rows.value(r, 2, as: String.self, purpose: purpose),
                score: try rows.value(r, 3, as: Double.self, purpose: purpose),
                label: try rows.value(r, 4, as: String.self, purpose: purpose),
                value: try rows.value(r, 5, as: Double.self, purpose: purpose))
        }
    }
}

extension LabelStore {
    /// The predictions of `modelID` with event time in [from, to), counted per (label, prediction) pair in
    /// one statement (`GROUP BY` over the join): nil label = not labelled yet, nil prediction = none logged.
    /// One row per pair, so memory is bounded by the classes, not the window's events.
    package static func confusionCells(
        modelID: Int64, from: Int64, to: Int64, on connection: PostgresConnection
    ) throws -> [(label: String?, prediction: String?, count: Int)] {
        let purpose = "count labelled predictions"
        let rows = try connection.query(
            """
            SELECT l.label, p.prediction, count(*)
            \(windowJoin)
            GROUP BY l.label, p.prediction
            """,
            windowParameters(modelID: modelID, from: from, to: to), purpose: purpose)
        return try (0..<rows.count).map { r in
            (
                try rows.value(r, 0, as: String.self, purpose: purpose),
                try rows.value(r, 1, as: String.self, purpose: purpose),
                try rows.value(r, 2, as: Int.self, purpose: purpose) ?? 0
            )
        }
    }

    /// The model's predictions in [$2, $3) (`p`) with their labels (`l`, NULL until one arrives).
    static let windowJoin = """
        FROM predictions p
        LEFT JOIN labels l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
        WHERE p.model_id = $1 AND p.event_time >= $2::timestamptz AND p.event_time < $3::timestamptz
        """

    /// The parameters of `windowJoin`.
    static func windowParameters(modelID: Int64, from: Int64, to: Int64) -> [PostgresParameter] {
        [
            .int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: from)),
            .string(PostgresTimestamp.text(microseconds: to)),
        ]
    }
}
