import DriftCore
import Foundation
import PostgresDriver

/// Closed windows (`window_profiles` rows with `closed`) and the event-time facts the window closer needs
/// (blocking calls: run them inside `PostgresPool.withConnection`).
package enum WindowStore {
    /// The agent id under which a window's final, merged profile is stored.
    package static let closedAgentID = "closed"

    /// A closed window's bounds (microseconds since the Unix epoch) and volume.
    package struct Window: Sendable, Equatable {
        package let start: Int64
        package let end: Int64
        package let eventCount: Int
        package init(start: Int64, end: Int64, eventCount: Int) {
            self.start = start
            self.end = end
            self.eventCount = eventCount
        }
    }

    /// Stores `profile` as the final profile of the window [start, end) and marks it closed (idempotent).
    package static func saveClosed(
        _ profile: WindowProfile, eventCount: Int? = nil, start: Int64, end: Int64, modelID: Int64,
        on connection: PostgresConnection
    ) throws {
        let purpose = "store closed window"
        let json: String
        do {
            json = String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)
        } catch {
            throw PostgresError(.decoding, purpose: purpose, message: "cannot encode the profile: \(error)")
        }
        _ = try connection.query(
            """
            INSERT INTO window_profiles (model_id, window_start, window_end, agent_id, event_count, profile, closed)
            VALUES ($1, $2::timestamptz, $3::timestamptz, $4, $5, $6::jsonb, true)
            ON CONFLICT (model_id, window_start, agent_id) DO UPDATE
                SET window_end = EXCLUDED.window_end, event_count = EXCLUDED.event_count, profile = EXCLUDED.profile,
                    closed = true, updated_at = now()
            """,
            [
                .int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: start)),
                .string(PostgresTimestamp.text(microseconds: end)), .string(closedAgentID),
                .int(eventCount ?? profile.eventCount),
                .string(json),
            ], purpose: purpose)
    }

    /// The number of stored events of `modelID` with event time in [from, to).
    package static func eventCount(
        modelID: Int64, from: Int64, to: Int64, on connection: PostgresConnection
    ) throws -> Int {
        let purpose = "count window events"
        return try connection.query(
            """
            SELECT count(*) FROM predictions
            WHERE model_id = $1 AND event_time >= $2::timestamptz AND event_time < $3::timestamptz
            """,
            [
                .int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: from)),
                .string(PostgresTimestamp.text(microseconds: to)),
            ], purpose: purpose
        ).scalar(Int.self, purpose: purpose) ?? 0
    }

    /// The latest closed window of the model, if any.
    package static func lastClosed(modelID: Int64, on connection: PostgresConnection) throws -> Window? {
        try windows(
            "WHERE w.model_id = $1 AND w.closed ORDER BY w.window_start DESC LIMIT 1", [.int(Int(modelID))],
            on: connection
        ).first
    }

    /// The closed windows holding a prediction whose label was received after `since` (µs).
    package static func closedWithLabels(
        receivedAfter since: Int64, modelID: Int64, on connection: PostgresConnection
    ) throws -> [Window] {
        try windows(
            """
            WHERE w.model_id = $1 AND w.closed AND EXISTS (
                SELECT 1 FROM labels l JOIN predictions p ON p.model_id = l.model_id AND p.prediction_id = l.prediction_id
                WHERE l.model_id = $1 AND l.received_at > $2::timestamptz
                  AND p.event_time >= w.window_start AND p.event_time < w.window_end)
            ORDER BY w.window_start
            """, [.int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: since))], on: connection)
    }

    static func windows(
        _ clause: String, _ parameters: [PostgresParameter], on connection: PostgresConnection
    ) throws -> [Window] {
        let purpose = "read closed windows"
        let rows = try connection.query(
            """
            SELECT (extract(epoch FROM w.window_start) * 1000000)::int8, (extract(epoch FROM w.window_end) * 1000000)::int8,
                   w.event_count
            FROM window_profiles w

            """ + clause,
            parameters, purpose: purpose)
        return try (0..<rows.count).map { r in
            Window(
                start: try rows.value(r, 0, purpose: purpose) ?? 0, end: try rows.value(r, 1, purpose: purpose) ?? 0,
                eventCount: try rows.value(r, 2, purpose: purpose) ?? 0)
        }
    }

    /// The earliest event time at or after `from` (µs), and the latest event time overall; with `through`,
    /// events after it are not looked at (the closer passes the agent's clock plus the allowed skew, so a
    /// far-future event stored before the bound existed never counts as the newest).
    package static func eventTimes(
        from: Int64?, through: Int64? = nil, modelID: Int64, on connection: PostgresConnection
    ) throws -> (next: Int64?, latest: Int64?) {
        let purpose = "read event-time bounds"
        let rows = try connection.query(
            """
            SELECT (SELECT (extract(epoch FROM min(event_time)) * 1000000)::int8 FROM predictions
                    WHERE model_id = $1 AND ($2::timestamptz IS NULL OR event_time >= $2::timestamptz)
                      AND ($3::timestamptz IS NULL OR event_time <= $3::timestamptz)),
                   (SELECT (extract(epoch FROM max(event_time)) * 1000000)::int8 FROM predictions
                    WHERE model_id = $1 AND ($3::timestamptz IS NULL OR event_time <= $3::timestamptz))
            """,
            [
                .int(Int(modelID)), .string(from.map { PostgresTimestamp.text(microseconds: $0) }),
                .string(through.map { PostgresTimestamp.text(microseconds: $0) }),
            ],
            purpose: purpose)
        return (try rows.value(0, 0, purpose: purpose), try rows.value(0, 1, purpose: purpose))
    }

    /// The event time of the `n`-th event (1-based, by event time then id) at or after `from` (and, with
    /// `through`, not after it), if there are that many.
    package static func nthEventTime(
        _ n: Int, from: Int64?, through: Int64? = nil, modelID: Int64, on connection: PostgresConnection
    ) throws -> Int64? {
        let purpose = "count window events"
        return try connection.query(
            """
            SELECT (extract(epoch FROM event_time) * 1000000)::int8 FROM predictions
            WHERE model_id = $1 AND ($2::timestamptz IS NULL OR event_time >= $2::timestamptz)
              AND ($4::timestamptz IS NULL OR event_time <= $4::timestamptz)
            ORDER BY event_time, prediction_id OFFSET $3 LIMIT 1
            """,
            [
                .int(Int(modelID)), .string(from.map { PostgresTimestamp.text(microseconds: $0) }), .int(max(0, n - 1)),
                .string(through.map { PostgresTimestamp.text(microseconds: $0) }),
            ],
            purpose: purpose
        ).scalar(Int64.self, purpose: purpose)
    }

    /// Sets the `late_events` figure of the closed windows holding any of `times` (µs) — or, with nil, of
    /// the model's `recent` latest closed windows — to the events stored in the window beyond those its
    /// figures were computed from (count now − count at close). Exact and idempotent; returns the rows set.
    @discardableResult
    package static func refreshLateCounts(
        times: [Int64]?, recent: Int = 10, modelID: Int64, on connection: PostgresConnection
    ) throws -> Int {
        let list = times.map {
            "{" + $0.map { "\"\(PostgresTimestamp.text(microseconds: $0))\"" }.joined(separator: ",") + "}"
        }
        return try connection.query(
            """
            WITH chosen AS (
                SELECT w.model_id, w.window_start, w.window_end, w.event_count FROM window_profiles w
                WHERE w.model_id = $1 AND w.closed AND (
                    ($2::timestamptz[] IS NOT NULL AND EXISTS (
                        SELECT 1 FROM unnest($2::timestamptz[]) AS t(event_time)
                        WHERE t.event_time >= w.window_start AND t.event_time < w.window_end))
                    OR ($2::timestamptz[] IS NULL AND w.window_start IN (
                        SELECT window_start FROM window_profiles
                        WHERE model_id = $1 AND closed ORDER BY window_start DESC LIMIT $3)))
            )
            INSERT INTO window_metrics (model_id, window_start, window_end, metric, value)
            SELECT c.model_id, c.window_start, c.window_end, $4::text,
                   (SELECT count(*) FROM predictions p WHERE p.model_id = c.model_id
                        AND p.event_time >= c.window_start AND p.event_time < c.window_end) - c.event_count
            FROM chosen c
            ON CONFLICT (model_id, window_start, metric, feature, class_label, method) DO UPDATE
                SET value = EXCLUDED.value, computed_at = now()
            """, [.int(Int(modelID)), .string(list), .int(recent), .string(WindowMetric.lateEvents.rawValue)],
            purpose: "count late events"
        ).affectedRows
    }
}

extension WindowStore {
    /// The database server's clock, µs since the Unix epoch (label `received_at` times are on it).
    package static func databaseNow(on connection: PostgresConnection) throws -> Int64 {
        try connection.query(
            "SELECT (extract(epoch FROM now()) * 1000000)::int8", purpose: "read the database clock"
        ).scalar(Int64.self, purpose: "read the database clock") ?? 0
    }

    /// When the model's realized performance was last computed (µs), if ever.
    package static func lastPerformanceUpdate(modelID: Int64, on connection: PostgresConnection) throws -> Int64? {
        try connection.query(
            """
            SELECT (extract(epoch FROM max(computed_at)) * 1000000)::int8 FROM window_metrics
            WHERE model_id = $1 AND metric = $2
            """, [.int(Int(modelID)), .string(WindowMetric.labelled.rawValue)], purpose: "read performance checkpoint"
        ).scalar(Int64.self, purpose: "read performance checkpoint")
    }
}
