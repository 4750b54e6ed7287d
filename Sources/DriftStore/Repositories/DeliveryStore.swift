import PostgresDriver

/// The webhook outbox seen from the sender (blocking calls: run them inside `PostgresPool.withConnection`).
///
/// A due notification is claimed with `FOR UPDATE SKIP LOCKED` and a lease, so several senders (or a
/// sender restarted after a crash) never send one twice at once, and a lease that runs out makes it due
/// again. Within one receiver, notifications of one alert fingerprint go out in order: a later one waits
/// while an earlier one is pending.
package enum DeliveryStore {
    /// A notification claimed for sending.
    package struct Claimed: Sendable, Equatable {
        package let modelID: Int64
        package let deliveryID: Int64
        package let receiver: String
        package let eventType: String
        package let webhookID: String
        package let payload: String
        package let attempts: Int
        /// µs.
        package let deadline: Int64?
        package let createdAt: Int64
    }

    /// Claims up to `limit` due notifications for `leaseSeconds`.
    package static func claim(limit: Int, leaseSeconds: Int, on connection: PostgresConnection) throws -> [Claimed] {
        let purpose = "claim notifications"
        func us(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000000)::int8" }
        let rows = try connection.query(
            """
            WITH due AS (
                SELECT d.model_id, d.delivery_id FROM alert_deliveries d
                WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                  AND (d.leased_until IS NULL OR d.leased_until <= now())
                  AND NOT EXISTS (
                    SELECT 1 FROM alert_deliveries e
                    WHERE e.status = 'pending' AND e.model_id = d.model_id AND e.receiver = d.receiver
                      AND e.fingerprint = d.fingerprint AND e.delivery_id < d.delivery_id)
                ORDER BY d.delivery_id
                LIMIT $1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE alert_deliveries a SET leased_until = now() + make_interval(secs => $2)
            FROM due WHERE a.model_id = due.model_id AND a.delivery_id = due.delivery_id
            RETURNING a.model_id, a.delivery_id, a.receiver, a.event_type, a.webhook_id, a.payload, a.attempts,
                      \(us("a.deadline")), \(us("a.created_at"))
            """, [.int(limit), .int(leaseSeconds)], purpose: purpose)
        return try (0..<rows.count).map { r in
            Claimed(
                modelID: try rows.value(r, 0, purpose: purpose) ?? 0,
                deliveryID: try rows.value(r, 1, purpose: purpose) ?? 0,
                receiver: try rows.value(r, 2, purpose: purpose) ?? "",
                eventType: try rows.value(r, 3, purpose: purpose) ?? "",
                webhookID: try rows.value(r, 4, purpose: purpose) ?? "",
                payload: try rows.value(r, 5, purpose: purpose) ?? "{}",
                attempts: try rows.value(r, 6, purpose: purpose) ?? 0,
                deadline: try rows.value(r, 7, purpose: purpose),
                createdAt: try rows.value(r, 8, purpose: purpose) ?? 0)
        }.sorted { $0.deliveryID < $1.deliveryID }
    }

    /// Queues a re-post of every alert still firing whose latest notification to `receiver` (an
    /// `alertmanager_api` one) is no longer pending and was sent (or written) at least `intervalSeconds`
    /// ago: a copy of that notification's payload, event type `resend`. Its webhook id names the interval
    /// it falls in, so agents sharing the database queue one re-post per interval between them.
    package static func queueResends(
        receiver: String, intervalSeconds: Int, deadlineSeconds: Int, on connection: PostgresConnection
    ) throws {
        _ = try connection.query(
            """
            INSERT INTO alert_deliveries (model_id, alert_id, receiver, event_type, webhook_id, payload, deadline,
                fingerprint)
            SELECT a.model_id, a.alert_id, $1, 'resend',
                   'dw_' || a.fingerprint || '_' || (extract(epoch FROM a.starts_at) * 1000000)::int8 || '_resend_'
                       || floor(extract(epoch FROM now()) / $2::int8)::int8,
                   last.payload, now() + make_interval(secs => $3::int8), a.fingerprint
            FROM alerts a
            CROSS JOIN LATERAL (
                SELECT d.payload, d.status, d.event_type, coalesce(d.delivered_at, d.created_at) AS sent_at
                FROM alert_deliveries d
                WHERE d.model_id = a.model_id AND d.alert_id = a.alert_id AND d.receiver = $1
                ORDER BY d.delivery_id DESC LIMIT 1
            ) last
            WHERE a.state <> 'resolved' AND a.state = 'firing'
              AND last.status <> 'pending' AND last.event_type <> 'resolved'
              AND last.sent_at <= now() - make_interval(secs => $2::int8)
            ON CONFLICT (model_id, webhook_id, receiver) DO NOTHING
            """, [.string(receiver), .int(max(intervalSeconds, 1)), .int(deadlineSeconds)],
            purpose: "queue alert re-posts")
    }

    /// What became of one attempt.
    package enum Outcome: Sendable, Equatable {
        case delivered
        /// Given up (a 4xx other than 408/429, or past the deadline).
        case failed
        /// Due again at this time (µs).
        case retry(at: Int64)
    }

    /// Records one attempt and its outcome, and releases the lease.
    package static func record(
        _ claimed: Claimed, statusCode: Int?, durationMilliseconds: Double, error: String?, outcome: Outcome,
        on connection: PostgresConnection
    ) throws {
        let purpose = "record notification attempt"
        let attempt = claimed.attempts == .max ? claimed.attempts : claimed.attempts + 1
        let (status, next): (String, Int64?) = {
            switch outcome {
            case .delivered: return ("delivered", nil)
            case .failed: return ("failed", nil)
            case .retry(let at): return ("pending", at)
            }
        }()
        try connection.transaction(purpose: purpose) {
            _ = try connection.query(
                """
                INSERT INTO alert_delivery_attempts (model_id, delivery_id, attempt, duration_ms, status_code, error)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
                """,
                [
                    .int(Int(claimed.modelID)), .int(Int(claimed.deliveryID)), .int(attempt),
                    .double(durationMilliseconds), .int(statusCode), .string(error),
                ], purpose: purpose)
            _ = try connection.query(
                """
                UPDATE alert_deliveries SET attempts = $3, status = $4, last_status_code = $5, last_error = $6,
                    next_attempt_at = coalesce($7::timestamptz, next_attempt_at), leased_until = NULL,
                    delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE delivered_at END
                WHERE model_id = $1 AND delivery_id = $2
                """,
                [
                    .int(Int(claimed.modelID)), .int(Int(claimed.deliveryID)), .int(attempt), .string(status),
                    .int(statusCode), .string(error),
                    .string(next.map { PostgresTimestamp.text(microseconds: $0) }),
                ], purpose: purpose)
        }
    }

    /// A notification as listed by `driftwatch alerts list`.
    package struct Listed: Sendable, Equatable {
        package let deliveryID: Int64
        package let model: String
        package let receiver: String
        package let eventType: String
        package let status: String
        package let attempts: Int
        package let lastStatusCode: Int?
        package let lastError: String?
        package let createdAt: Int64
    }

    /// The newest notifications, newest first.
    package static func recent(limit: Int, on connection: PostgresConnection) throws -> [Listed] {
        let purpose = "list notifications"
        let rows = try connection.query(
            """
            SELECT d.delivery_id, m.name, d.receiver, d.event_type, d.status, d.attempts, d.last_status_code,
                   d.last_error, (extract(epoch FROM d.created_at) * 1000000)::int8
            FROM alert_deliveries d JOIN models m ON m.model_id = d.model_id
            ORDER BY d.created_at DESC, d.delivery_id DESC LIMIT $1
            """, [.int(limit)], purpose: purpose)
        return try (0..<rows.count).map { r in
            Listed(
                deliveryID: try rows.value(r, 0, purpose: purpose) ?? 0,
                model: try rows.value(r, 1, purpose: purpose) ?? "",
                receiver: try rows.value(r, 2, purpose: purpose) ?? "",
                eventType: try rows.value(r, 3, purpose: purpose) ?? "",
                status: try rows.value(r, 4, purpose: purpose) ?? "",
                attempts: try rows.value(r, 5, purpose: purpose) ?? 0,
                lastStatusCode: try rows.value(r, 6, purpose: purpose),
                lastError: try rows.value(r, 7, purpose: purpose),
                createdAt: try rows.value(r, 8, purpose: purpose) ?? 0)
        }
    }
}
