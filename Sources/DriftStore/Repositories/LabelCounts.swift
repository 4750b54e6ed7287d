import DriftCore
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
        package var scores: [ScoreTally] = []
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
            """
            WITH gone AS (
                DELETE FROM window_label_counts WHERE model_id = $1 AND window_start = $2::timestamptz
            )
            DELETE FROM window_score_counts WHERE model_id = $1 AND window_start = $2::timestamptz
            """, Array(parameters.prefix(2)), purpose: purpose)
        // One scan, two groupings: (label, prediction) for every prediction, (label, score bin) for labelled ones.
        let read = try connection.query(
            """
            WITH grouped AS (
                SELECT GROUPING(p.prediction) AS by_score, l.label, p.prediction, \(Self.scoreBin) AS score_bin,
                       count(*) AS count, sum(\(Self.loss("p.score"))) AS loss_if_positive,
                       sum(\(Self.loss("1 - p.score"))) AS loss_if_negative
                \(LabelStore.windowJoin)
                GROUP BY GROUPING SETS ((l.label, p.prediction), (l.label, \(Self.scoreBin)))
            ), cells AS (
                INSERT INTO window_label_counts (model_id, window_start, label, prediction, count)
                SELECT $1, $2::timestamptz, label, prediction, count FROM grouped WHERE by_score = 0
                RETURNING count
            ), scores AS (
                INSERT INTO window_score_counts
                    (model_id, window_start, label, score_bin, count, loss_if_positive, loss_if_negative)
                SELECT $1, $2::timestamptz, label, score_bin, count, coalesce(loss_if_positive, 0),
                       coalesce(loss_if_negative, 0)
                FROM grouped WHERE by_score = 1 AND label IS NOT NULL
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

    /// A prediction's score bin: floor(score × 10,000) (9,999 for a score of 1) for a score in [0, 1], else NULL.
    static let scoreBin = """
        (CASE WHEN p.score >= 0 AND p.score <= 1 THEN least(floor(p.score * 10000), 9999)::int END)
        """

    /// −ln(clip(`probability`, ε, 1 − ε)) as numeric (NULL when the score is missing or outside [0, 1]).
    static func loss(_ probability: String) -> String {
        """
        (CASE WHEN p.score >= 0 AND p.score <= 1 THEN
            (-ln(greatest(least(\(probability), 1 - 2.220446049250313e-16::float8), 2.220446049250313e-16::float8)))::numeric END)
        """
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
            ), located AS (
                SELECT w.window_start, w.counted, c.old_label, c.new_label, p.prediction, p.score
                FROM changed c
                JOIN predictions p ON p.model_id = $1 AND p.prediction_id = c.prediction_id
                JOIN label_counted_windows w ON w.model_id = $1
                    AND p.event_time >= w.window_start AND p.event_time < w.window_end
            ), moved AS (
                SELECT x.window_start, m.label, x.prediction, x.score, m.delta
                FROM located x
                CROSS JOIN LATERAL (VALUES (x.old_label, -1), (x.new_label, 1)) AS m(label, delta)
                WHERE x.counted
            ), cells AS (
                INSERT INTO window_label_counts AS k (model_id, window_start, label, prediction, count)
                SELECT $1, window_start, label, prediction, sum(delta) FROM moved
                GROUP BY window_start, label, prediction HAVING sum(delta) <> 0
                ORDER BY window_start, label, prediction
                ON CONFLICT (model_id, window_start, label, prediction) DO UPDATE SET count = k.count + EXCLUDED.count
                RETURNING window_start
            ), scores AS (
                INSERT INTO window_score_counts AS k
                    (model_id, window_start, label, score_bin, count, loss_if_positive, loss_if_negative)
                SELECT $1, window_start, label, \(Self.scoreBin), sum(delta),
                       coalesce(sum(delta * \(Self.loss("p.score"))), 0),
                       coalesce(sum(delta * \(Self.loss("1 - p.score"))), 0)
                FROM moved p WHERE label IS NOT NULL
                GROUP BY window_start, label, \(Self.scoreBin)
                ORDER BY 2, 3, 4
                ON CONFLICT (model_id, window_start, label, score_bin) DO UPDATE
                    SET count = k.count + EXCLUDED.count, loss_if_positive = k.loss_if_positive + EXCLUDED.loss_if_positive,
                        loss_if_negative = k.loss_if_negative + EXCLUDED.loss_if_negative
                RETURNING window_start
            )
            UPDATE label_counted_windows SET dirty = true
            WHERE model_id = $1 AND NOT dirty AND window_start IN (
                SELECT window_start FROM cells UNION SELECT window_start FROM scores
                UNION SELECT window_start FROM located WHERE NOT counted)
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
        let scores = try scoreCells(modelID: modelID, starts: windows.map(\.start), on: connection)
        for k in windows.indices { windows[k].scores = scores[windows[k].start] ?? [] }
        return windows
    }

    /// The non-empty score cells of the windows starting at `starts`, by window start.
    static func scoreCells(
        modelID: Int64, starts: [Int64], on connection: PostgresConnection
    ) throws -> [Int64: [ScoreTally]] {
        guard !starts.isEmpty else { return [:] }
        let purpose = "read score counts"
        let list = "{" + starts.map { "\"\(PostgresTimestamp.text(microseconds: $0))\"" }.joined(separator: ",") + "}"
        let rows = try connection.query(
            """
            SELECT (extract(epoch FROM window_start) * 1000000)::int8, label, score_bin, count, loss_if_positive::float8,
                   loss_if_negative::float8
            FROM window_score_counts
            WHERE model_id = $1 AND window_start = ANY($2::timestamptz[]) AND count > 0
            ORDER BY 1, 2, 3
            """, [.int(Int(modelID)), .string(list)], purpose: purpose)
        var out: [Int64: [ScoreTally]] = [:]
        for r in 0..<rows.count {
            guard let start = try rows.value(r, 0, as: Int64.self, purpose: purpose),
                let label = try rows.value(r, 1, as: String.self, purpose: purpose),
                let count = try rows.value(r, 3, as: Int.self, purpose: purpose)
            else { continue }
            out[start, default: []].append(
                ScoreTally(
                    label: label, bin: try rows.value(r, 2, as: Int.self, purpose: purpose), count: count,
                    lossIfPositive: try rows.value(r, 4, as: Double.self, purpose: purpose) ?? 0,
                    lossIfNegative: try rows.value(r, 5, as: Double.self, purpose: purpose) ?? 0))
        }
        return out
    }
}
