import DriftCore
import PostgresDriver

/// The `window_metrics` time series: one row per model, window, metric, feature/class and method
/// (blocking calls: run them inside `PostgresPool.withConnection`).
package enum WindowMetricsStore {
    /// One figure of one window.
    @dynamicMemberLookup
    package struct Row: Sendable, Equatable {
        package var windowStart: Int64
        package var windowEnd: Int64
        package var figure: WindowFigure

        package init(windowStart: Int64, windowEnd: Int64, figure: WindowFigure) {
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.figure = figure
        }

        package init(
            windowStart: Int64, windowEnd: Int64, metric: WindowMetric, feature: String = "", classLabel: String = "",
            method: String = "", value: Double?, threshold: Double? = nil, drift: Bool? = nil,
            labelCoverage: Double? = nil
        ) {
            self.init(
                windowStart: windowStart, windowEnd: windowEnd,
                figure: WindowFigure(
                    metric, feature: feature, classLabel: classLabel, method: method, value: value,
                    threshold: threshold, drift: drift, labelCoverage: labelCoverage))
        }

        /// The figure's fields (`row.metric`, `row.value`, …).
        package subscript<T>(dynamicMember path: KeyPath<WindowFigure, T>) -> T { figure[keyPath: path] }
    }

    /// Writes `rows` for `modelID`; a row for the same window, metric, feature, class and method replaces
    /// the stored one (so a window's F1 is recomputed as its labels arrive). Returns the rows written.
    @discardableResult
    package static func upsert(_ rows: [Row], modelID: Int64, on connection: PostgresConnection) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let purpose = "store window metrics"
        try connection.ensureStagingTable("window_metrics_staging", like: "window_metrics", purpose: purpose)
        return try connection.transaction(purpose: purpose) {
            _ = try connection.copyInBinary(
                """
                COPY window_metrics_staging (model_id, window_start, window_end, metric, feature, class_label, method,
                    value, threshold, drift, label_coverage) FROM STDIN (FORMAT binary)
                """, purpose: purpose
            ) { writer in
                for r in rows {
                    writer.int8(modelID)
                    writer.timestamptz(microseconds: r.windowStart)
                    writer.timestamptz(microseconds: r.windowEnd)
                    writer.text(r.metric.rawValue)
                    writer.text(r.feature)
                    writer.text(r.classLabel)
                    writer.text(r.method)
                    writer.float8(r.value)
                    writer.float8(r.threshold)
                    writer.bool(r.drift)
                    writer.float8(r.labelCoverage)
                    try writer.endRow()
                }
            }
            return try connection.query(
                """
                INSERT INTO window_metrics (model_id, window_start, window_end, metric, feature, class_label, method,
                    value, threshold, drift, label_coverage)
                SELECT DISTINCT ON (model_id, window_start, metric, feature, class_label, method)
                    model_id, window_start, window_end, metric, feature, class_label, method, value, threshold, drift,
                    label_coverage
                FROM window_metrics_staging
                ORDER BY model_id, window_start, metric, feature, class_label, method
                ON CONFLICT (model_id, window_start, metric, feature, class_label, method) DO UPDATE
                    SET window_end = EXCLUDED.window_end, value = EXCLUDED.value, threshold = EXCLUDED.threshold,
                        drift = EXCLUDED.drift, label_coverage = EXCLUDED.label_coverage, computed_at = now()
                """, purpose: purpose
            ).affectedRows
        }
    }

    /// The series of one metric (optionally for one feature and method) with window start in [from, to),
    /// oldest first.
    package static func series(
        modelID: Int64, metric: WindowMetric, feature: String? = nil, method: String? = nil, from: Int64, to: Int64,
        on connection: PostgresConnection
    ) throws -> [Row] {
        let purpose = "read window metrics"
        let result = try connection.query(
            """
            SELECT (extract(epoch FROM window_start) * 1000000)::int8, (extract(epoch FROM window_end) * 1000000)::int8,
                   metric, feature, class_label, method, value, threshold, drift, label_coverage
            FROM window_metrics
            WHERE model_id = $1 AND metric = $2 AND ($3::text IS NULL OR feature = $3) AND ($4::text IS NULL OR method = $4)
              AND window_start >= $5::timestamptz AND window_start < $6::timestamptz
            ORDER BY window_start, feature, class_label, method
            """,
            [
                .int(Int(modelID)), .string(metric.rawValue), .string(feature), .string(method),
                .string(PostgresTimestamp.text(microseconds: from)), .string(PostgresTimestamp.text(microseconds: to)),
            ], purpose: purpose)
        return try rows(result, purpose: purpose)
    }
}

extension WindowMetricsStore {
    /// Every figure of the window starting at `windowStart`, by metric, feature, class and method.
    package static func window(
        modelID: Int64, windowStart: Int64, on connection: PostgresConnection
    ) throws -> [Row] {
        let purpose = "read window figures"
        let result = try connection.query(
            """
            SELECT (extract(epoch FROM window_start) * 1000000)::int8, (extract(epoch FROM window_end) * 1000000)::int8,
                   metric, feature, class_label, method, value, threshold, drift, label_coverage
            FROM window_metrics WHERE model_id = $1 AND window_start = $2::timestamptz
            ORDER BY metric, feature, class_label, method
            """, [.int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: windowStart))], purpose: purpose)
        return try rows(result, purpose: purpose)
    }
}

extension WindowMetricsStore {
    /// Decodes rows selected as (window_start µs, window_end µs, metric, feature, class_label, method,
    /// value, threshold, drift, label_coverage).
    static func rows(_ result: PostgresRows, purpose: String) throws -> [Row] {
        try (0..<result.count).map { r in
            Row(
                windowStart: try result.value(r, 0, as: Int64.self, purpose: purpose) ?? 0,
                windowEnd: try result.value(r, 1, as: Int64.self, purpose: purpose) ?? 0,
                metric: WindowMetric(rawValue: try result.value(r, 2, as: String.self, purpose: purpose) ?? ""),
                feature: try result.value(r, 3, as: String.self, purpose: purpose) ?? "",
                classLabel: try result.value(r, 4, as: String.self, purpose: purpose) ?? "",
                method: try result.value(r, 5, as: String.self, purpose: purpose) ?? "",
                value: try result.value(r, 6, as: Double.self, purpose: purpose),
                threshold: try result.value(r, 7, as: Double.self, purpose: purpose),
                drift: try result.value(r, 8, as: Bool.self, purpose: purpose),
                labelCoverage: try result.value(r, 9, as: Double.self, purpose: purpose))
        }
    }
}

extension WindowMetricsStore {
    /// The values of `metric` (feature, class and method empty) of the `limit` windows before `before`,
    /// oldest first.
    package static func previousValues(
        metric: WindowMetric, before: Int64, limit: Int, modelID: Int64, on connection: PostgresConnection
    ) throws -> [Double] {
        let purpose = "read previous windows"
        let rows = try connection.query(
            """
            SELECT value FROM (
                SELECT window_start, value FROM window_metrics
                WHERE model_id = $1 AND metric = $2 AND feature = '' AND class_label = '' AND method = ''
                  AND window_start < $3::timestamptz
                ORDER BY window_start DESC LIMIT $4) recent
            ORDER BY window_start
            """,
            [
                .int(Int(modelID)), .string(metric.rawValue), .string(PostgresTimestamp.text(microseconds: before)),
                .int(limit),
            ],
            purpose: purpose)
        return try (0..<rows.count).compactMap { try rows.value($0, 0, as: Double.self, purpose: purpose) }
    }
}

extension WindowMetricsStore {
    /// Every figure of the windows starting in [from, to), oldest first.
    package static func range(modelID: Int64, from: Int64, to: Int64, on connection: PostgresConnection) throws -> [Row]
    {
        let purpose = "read window figures"
        let result = try connection.query(
            """
            SELECT (extract(epoch FROM window_start) * 1000000)::int8, (extract(epoch FROM window_end) * 1000000)::int8,
                   metric, feature, class_label, method, value, threshold, drift, label_coverage
            FROM window_metrics WHERE model_id = $1 AND window_start >= $2::timestamptz AND window_start < $3::timestamptz
            ORDER BY window_start, metric, feature, class_label, method
            """,
            [
                .int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: from)),
                .string(PostgresTimestamp.text(microseconds: to)),
            ], purpose: purpose)
        return try rows(result, purpose: purpose)
    }
}
