import PostgresDriver

/// A classifier's closed windows counted per (label, prediction) pair (`window_label_counts`), so its
/// realized performance never re-reads a window's rows: a window is counted once (`count`, one `GROUP BY`)
/// and from then on each label stored or corrected moves exactly its cells (`applyStaged`, O(1) per label),
/// and late events have their windows counted again (`recount`). Every writer holds the model's label lock
/// (`lock`) until it commits, so a label is counted either by the `GROUP BY` or by its move, never both.
/// Blocking calls: run them inside a transaction of the caller's.
package enum LabelCounts {
    /// One cell: how many of the window's predictions have this label (nil: not yet) and prediction.
    package typealias Cell = (label: String?, prediction: String?, count: Int)

    /// A counted window whose cells changed since its figures were written, with its cells.
    package struct ChangedWindow: Sendable {
        package let start: Int64
        package let end: Int64
        package let cells: [Cell]
    }

    /// Takes the model's label lock until the transaction ends.
    package static func lock(modelID: Int64, on connection: PostgresConnection) throws {
        _ = try connection.query(
            "SELECT pg_advisory_xact_lock(hashtextextended('driftwatch.labels.' || $1::text, 0))",
            [.int(Int(modelID))], purpose: "take the label lock")
    }

    /// Counts the window [start, end) from its rows (one `GROUP BY` over the join), replacing any counts it
    /// had, and marks it changed; returns how many predictions it read. Call under `lock`.
    @discardableResult
    package static func count(
        modelID: Int64, start: Int64, end: Int64, on connection: PostgresConnection
    ) throws -> Int {
        let purpose = "count a window's labels"
        let parameters = LabelStore.windowParameters(modelID: modelID, from: start, to: end)
        _ = try connection.query(
            "DELETE FROM window_label_counts WHERE model_id = $1 AND window_start = $2::timestamptz",
            Array(parameters.prefix(2)), purpose: purpose)
        let read = try connection.query(
            """
            WITH cells AS (
                INSERT INTO window_label_counts (model_id, window_start, label, prediction, count)
                SELECT $1, $2::timestamptz, l.label, p.prediction, count(*)
                \(LabelStore.windowJoin)
                GROUP BY l.label, p.prediction
                RETURNING count
            )
            SELECT coalesce(sum(count), 0)::int8 FROM cells
            """, parameters, purpose: purpose
        ).scalar(Int.self, purpose: purpose)
        _ = try connection.query(
            """
            INSERT INTO label_counted_windows (model_id, window_start, window_end) VALUES ($1, $2::timestamptz, $3::timestamptz)
            ON CONFLICT (model_id, window_start) DO UPDATE
                SET window_end = EXCLUDED.window_end, counted = true, dirty = true
            """, parameters, purpose: purpose)
        return read ?? 0
    }

    /// Moves the cells of the labels in `labels_staging` that differ from the stored ones, for predictions in
    /// counted windows — before `LabelStore.upsert` replaces them: −1 from (old label or none, prediction),
    /// +1 to (new label, prediction) — and marks those windows changed (and windows closed before counts
    /// existed, to be counted whole). Call under `lock`.
    static func applyStaged(modelID: Int64, on connection: PostgresConnection) throws {
        _ = try connection.query(
            """
            WITH changed AS (
                SELECT s.prediction_id, l.label AS old_label, s.label AS new_label
                FROM labels_staging s
                LEFT JOIN labels l ON l.model_id = s.model_id AND l.prediction_id = s.prediction_id
                WHERE s.model_id = $1 AND l.label IS DISTINCT FROM s.label
            ), moves AS (
                SELECT w.window_start, m.label, p.prediction, sum(m.delta) AS delta
                FROM changed c
                JOIN predictions p ON p.model_id = $1 AND p.prediction_id = c.prediction_id
                JOIN label_counted_windows w ON w.model_id = $1 AND w.counted
                    AND p.event_time >= w.window_start AND p.event_time < w.window_end
                CROSS JOIN LATERAL (VALUES (c.old_label, -1), (c.new_label, 1)) AS m(label, delta)
                GROUP BY w.window_start, m.label, p.prediction
            ), cells AS (
                INSERT INTO window_label_counts AS k (model_id, window_start, label, prediction, count)
                SELECT $1, window_start, label, prediction, delta FROM moves WHERE delta <> 0
                ORDER BY window_start, label, prediction
                ON CONFLICT (model_id, window_start, label, prediction) DO UPDATE SET count = k.count + EXCLUDED.count
                RETURNING window_start
            ), uncounted AS (
                SELECT DISTINCT w.window_start
                FROM changed c
                JOIN predictions p ON p.model_id = $1 AND p.prediction_id = c.prediction_id
                JOIN label_counted_windows w ON w.model_id = $1 AND NOT w.counted
                    AND p.event_time >= w.window_start AND p.event_time < w.window_end
            )
            UPDATE label_counted_windows SET dirty = true
            WHERE model_id = $1 AND NOT dirty
              AND window_start IN (SELECT window_start FROM cells UNION SELECT window_start FROM uncounted)
            """, [.int(Int(modelID))], purpose: "move label counts")
    }

    /// Counts again the counted windows holding any of `times` (late events' times); returns how many
    /// predictions it read. Call under `lock`.
    package static func recount(times: [Int64], modelID: Int64, on connection: PostgresConnection) throws -> Int {
        guard !times.isEmpty else { return 0 }
        let list = "{" + times.map { "\"\(PostgresTimestamp.text(microseconds: $0))\"" }.joined(separator: ",") + "}"
        let purpose = "find counted windows of late events"
        let rows = try connection.query(
            """
            SELECT (extract(epoch FROM w.window_start) * 1000000)::int8, (extract(epoch FROM w.window_end) * 1000000)::int8
            FROM label_counted_windows w
            WHERE w.model_id = $1 AND EXISTS (
                SELECT 1 FROM unnest($2::timestamptz[]) AS t(event_time)
                WHERE t.event_time >= w.window_start AND t.event_time < w.window_end)
            """, [.int(Int(modelID)), .string(list)], purpose: purpose)
        var read = 0
        for r in 0..<rows.count {
            guard let start = try rows.value(r, 0, as: Int64.self, purpose: purpose),
                let end = try rows.value(r, 1, as: Int64.self, purpose: purpose)
            else { continue }
            read = read.addingSaturating(try count(modelID: modelID, start: start, end: end, on: connection))
        }
        return read
    }

    /// The closed windows (of `window_profiles`) not counted yet, oldest first.
    package static func uncounted(modelID: Int64, on connection: PostgresConnection) throws -> [(Int64, Int64)] {
        try windows(
            """
            SELECT DISTINCT (extract(epoch FROM w.window_start) * 1000000)::int8,
                   (extract(epoch FROM w.window_end) * 1000000)::int8
            FROM window_profiles w
            WHERE w.model_id = $1 AND w.closed AND NOT EXISTS (
                SELECT 1 FROM label_counted_windows c WHERE c.model_id = w.model_id AND c.window_start = w.window_start)
            ORDER BY 1
            """, modelID: modelID, on: connection)
    }

    /// The (start, end) pairs, in microseconds, that `sql` (with the model id as `$1`) selects.
    static func windows(_ sql: String, modelID: Int64, on connection: PostgresConnection) throws -> [(Int64, Int64)] {
        let purpose = "find windows to count"
        let rows = try connection.query(sql, [.int(Int(modelID))], purpose: purpose)
        return try (0..<rows.count).compactMap { r in
            guard let start = try rows.value(r, 0, as: Int64.self, purpose: purpose),
                let end = try rows.value(r, 1, as: Int64.self, purpose: purpose)
            else { return nil }
            return (start, end)
        }
    }

    /// The windows closed before counts existed that a label has reached since (`counted` false, changed),
    /// oldest first: count them whole.
    package static func uncountedChanged(modelID: Int64, on connection: PostgresConnection) throws -> [(Int64, Int64)] {
        try windows(
            """
            SELECT (extract(epoch FROM window_start) * 1000000)::int8, (extract(epoch FROM window_end) * 1000000)::int8
            FROM label_counted_windows WHERE model_id = $1 AND dirty AND NOT counted ORDER BY 1
            """, modelID: modelID, on: connection)
    }

    /// Takes the counted windows whose cells changed (clearing their mark), with their non-empty cells,
    /// oldest first. Call under `lock`, and write their figures in the same transaction.
    package static func takeChanged(modelID: Int64, on connection: PostgresConnection) throws -> [ChangedWindow] {
        let purpose = "read changed label counts"
        let rows = try connection.query(
            """
            WITH taken AS (
                UPDATE label_counted_windows SET dirty = false WHERE model_id = $1 AND dirty
                RETURNING window_start, window_end
            )
            SELECT (extract(epoch FROM t.window_start) * 1000000)::int8, (extract(epoch FROM t.window_end) * 1000000)::int8,
                   k.label, k.prediction, k.count
            FROM taken t
            LEFT JOIN window_label_counts k ON k.model_id = $1 AND k.window_start = t.window_start AND k.count > 0
            ORDER BY 1, 3, 4
            """, [.int(Int(modelID))], purpose: purpose)
        var windows: [ChangedWindow] = []
        var cells: [Cell] = []
        var current: (Int64, Int64)?
        for r in 0..<rows.count {
            guard let start = try rows.value(r, 0, as: Int64.self, purpose: purpose),
                let end = try rows.value(r, 1, as: Int64.self, purpose: purpose)
            else { continue }
            if let (s, e) = current, s != start {
                windows.append(ChangedWindow(start: s, end: e, cells: cells))
                cells = []
            }
            current = (start, end)
            if let count = try rows.value(r, 4, as: Int.self, purpose: purpose) {
                cells.append(
                    (
                        try rows.value(r, 2, as: String.self, purpose: purpose),
                        try rows.value(r, 3, as: String.self, purpose: purpose), count
                    ))
            }
        }
        if let (s, e) = current { windows.append(ChangedWindow(start: s, end: e, cells: cells)) }
        return windows
    }
}
