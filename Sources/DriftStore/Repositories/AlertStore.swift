import DriftCore
import PostgresDriver

/// The `alerts` table and the webhook outbox rows written with them (blocking calls: run them inside
/// `PostgresPool.withConnection`).
package enum AlertStore {
    /// An alert that is pending or firing.
    package struct OpenAlert: Sendable, Equatable {
        package let rule: String
        package let state: String
        package let severity: String
        /// µs since the Unix epoch.
        package let startsAt: Int64
    }

    /// The model's open (pending or firing) alerts, oldest first.
    package static func open(modelID: Int64, on connection: PostgresConnection) throws -> [OpenAlert] {
        try alerts(modelID: modelID, openOnly: true, limit: 1000, on: connection).map {
            OpenAlert(rule: $0.rule, state: $0.state.rawValue, severity: $0.severity, startsAt: $0.startsAt)
        }
    }

    /// A stored alert.
    package struct Stored: Sendable, Equatable {
        package let modelID: Int64
        package let alertID: Int64
        package let fingerprint: String
        package let rule: String
        package let severity: String
        package let labelsJSON: String
        package let annotationsJSON: String
        package let figuresJSON: String
        package let lifecycle: OpenAlertState
        package var state: AlertState { lifecycle.state }
        package let startsAt: Int64
        package let endsAt: Int64?
        package let lastWindowStart: Int64?
    }

    /// Alerts of `modelID` (or of every model when nil), newest first.
    package static func alerts(
        modelID: Int64?, openOnly: Bool, limit: Int, on connection: PostgresConnection
    ) throws -> [Stored] {
        let purpose = "read alerts"
        func us(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000000)::int8" }
        let rows = try connection.query(
            """
            SELECT model_id, alert_id, fingerprint, rule, state, severity, labels::text, annotations::text,
                   figures::text, breaches, clear_windows, \(us("last_notified_at")), \(us("starts_at")),
                   \(us("ends_at")), \(us("last_window_start"))
            FROM alerts
            WHERE ($1::int8 IS NULL OR model_id = $1) AND (NOT $2 OR state <> 'resolved')
            ORDER BY starts_at DESC, alert_id DESC LIMIT $3
            """, [.int(modelID.map { Int($0) }), .bool(openOnly), .int(limit)], purpose: purpose)
        return try (0..<rows.count).map { r in
            Stored(
                modelID: try rows.value(r, 0, purpose: purpose) ?? 0,
                alertID: try rows.value(r, 1, purpose: purpose) ?? 0,
                fingerprint: try rows.value(r, 2, purpose: purpose) ?? "",
                rule: try rows.value(r, 3, purpose: purpose) ?? "",
                severity: try rows.value(r, 5, purpose: purpose) ?? "",
                labelsJSON: try rows.value(r, 6, purpose: purpose) ?? "{}",
                annotationsJSON: try rows.value(r, 7, purpose: purpose) ?? "{}",
                figuresJSON: try rows.value(r, 8, purpose: purpose) ?? "{}",
                lifecycle: OpenAlertState(
                    state: AlertState(rawValue: try rows.value(r, 4, purpose: purpose) ?? "") ?? .resolved,
                    breaches: try rows.value(r, 9, purpose: purpose) ?? 0,
                    clearWindows: try rows.value(r, 10, purpose: purpose) ?? 0,
                    lastNotifiedAt: try rows.value(r, 11, purpose: purpose)),
                startsAt: try rows.value(r, 12, purpose: purpose) ?? 0,
                endsAt: try rows.value(r, 13, purpose: purpose),
                lastWindowStart: try rows.value(r, 14, purpose: purpose))
        }
    }

    /// A change to one alert, judged on the window starting at `windowStart`.
    package struct Change: Sendable {
        /// nil: a new alert.
        package var alertID: Int64?
        package var fingerprint: String
        package var rule: String
        package var severity: String
        package var labelsJSON: String
        package var annotationsJSON: String
        package var figuresJSON: String
        package var lifecycle: OpenAlertState
        package var windowStart: Int64
        package var startsAt: Int64
        package var endsAt: Int64?

        package init(
            alertID: Int64?, fingerprint: String, rule: String, severity: String, labelsJSON: String,
            annotationsJSON: String, figuresJSON: String, lifecycle: OpenAlertState, windowStart: Int64,
            startsAt: Int64, endsAt: Int64?
        ) {
            self.alertID = alertID
            self.fingerprint = fingerprint
            self.rule = rule
            self.severity = severity
            self.labelsJSON = labelsJSON
            self.annotationsJSON = annotationsJSON
            self.figuresJSON = figuresJSON
            self.lifecycle = lifecycle
            self.windowStart = windowStart
            self.startsAt = startsAt
            self.endsAt = endsAt
        }
    }

    /// Writes the change and its notifications in one transaction (the outbox contract: a notification
    /// exists if and only if the alert changed). Returns the alert id.
    @discardableResult
    package static func apply(
        _ change: Change, deliveries: [OutboxNotification], modelID: Int64, on connection: PostgresConnection
    ) throws -> Int64 {
        let purpose = "store alert"
        func ts(_ v: Int64?) -> PostgresParameter { .string(v.map { PostgresTimestamp.text(microseconds: $0) }) }
        return try connection.transaction(purpose: purpose) {
            let id: Int64
            if let existing = change.alertID {
                _ = try connection.query(
                    """
                    UPDATE alerts SET state = $3, breaches = $4, clear_windows = $5,
                        last_notified_at = $6::timestamptz, last_window_start = $7::timestamptz,
                        ends_at = $8::timestamptz, figures = $9::jsonb, annotations = $10::jsonb, updated_at = now()
                    WHERE model_id = $1 AND alert_id = $2
                    """,
                    [
                        .int(Int(modelID)), .int(Int(existing)), .string(change.lifecycle.state.rawValue),
                        .int(change.lifecycle.breaches), .int(change.lifecycle.clearWindows),
                        ts(change.lifecycle.lastNotifiedAt), ts(change.windowStart), ts(change.endsAt),
                        .string(change.figuresJSON), .string(change.annotationsJSON),
                    ], purpose: purpose)
                id = existing
            } else {
                id =
                    try connection.query(
                        """
                        INSERT INTO alerts (model_id, fingerprint, rule, state, severity, labels, annotations, figures,
                            breaches, clear_windows, starts_at, last_notified_at, last_window_start)
                        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10, $11::timestamptz,
                            $12::timestamptz, $13::timestamptz)
                        RETURNING alert_id
                        """,
                        [
                            .int(Int(modelID)), .string(change.fingerprint), .string(change.rule),
                            .string(change.lifecycle.state.rawValue), .string(change.severity),
                            .string(change.labelsJSON), .string(change.annotationsJSON), .string(change.figuresJSON),
                            .int(change.lifecycle.breaches), .int(change.lifecycle.clearWindows), ts(change.startsAt),
                            ts(change.lifecycle.lastNotifiedAt), ts(change.windowStart),
                        ], purpose: purpose
                    ).scalar(Int64.self, purpose: purpose) ?? 0
            }
            try insertDeliveries(
                deliveries, modelID: modelID, alertID: id, fingerprint: change.fingerprint, on: connection)
            return id
        }
    }

    /// Adds notifications to the outbox (inside the caller's transaction when there is one); a notification
    /// whose webhook id the receiver already has is not added again. `fingerprint` orders a receiver's
    /// notifications of one subject; `alertID` is nil for notifications that are not about an alert
    /// (retraining).
    package static func insertDeliveries(
        _ deliveries: [OutboxNotification], modelID: Int64, alertID: Int64?, fingerprint: String,
        on connection: PostgresConnection
    ) throws {
        for d in deliveries {
            _ = try connection.query(
                """
                INSERT INTO alert_deliveries (model_id, alert_id, receiver, event_type, webhook_id, payload,
                    deadline, fingerprint)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8)
                ON CONFLICT (model_id, webhook_id, receiver) DO NOTHING
                """,
                [
                    .int(Int(modelID)), .int(alertID.map { Int($0) }), .string(d.receiver), .string(d.eventType),
                    .string(d.webhookID), .string(d.payload), .string(PostgresTimestamp.text(microseconds: d.deadline)),
                    .string(fingerprint),
                ], purpose: "queue notifications")
        }
    }
}
