import PostgresDriver

/// Halves of model-server CloudEvent pairs waiting for their partner (`cloudevent_halves`; blocking
/// calls: run them inside `PostgresPool.withConnection`). `lock` and `claimWaiting` lock rows and must run
/// inside `PostgresConnection.transaction`.
package enum CloudEventHalfStore {
    /// One stored half.
    package struct Half: Sendable, Equatable {
        package var eventID: String
        /// `request` or `response`.
        package var half: String
        /// `pending`, `joining`, `sweeping` or `stored`.
        package var state: String
        package var ceType: String
        package var ceSource: String
        /// The event's own time, µs since the epoch, when it had one.
        package var ceTime: Int64?
        /// When it was first received, µs.
        package var receivedAt: Int64
        /// The data as received (nil once stored).
        package var body: String?

        package init(
            eventID: String, half: String, state: String, ceType: String, ceSource: String, ceTime: Int64?,
            receivedAt: Int64, body: String?
        ) {
            self.eventID = eventID
            self.half = half
            self.state = state
            self.ceType = ceType
            self.ceSource = ceSource
            self.ceTime = ceTime
            self.receivedAt = receivedAt
            self.body = body
        }
    }

    static let columns = """
        event_id, half, state, ce_type, ce_source, (extract(epoch FROM ce_time) * 1000000)::int8,
        (extract(epoch FROM received_at) * 1000000)::int8, body
        """

    static func halves(_ rows: PostgresRows, purpose: String) throws -> [Half] {
        try (0..<rows.count).map { r in
            Half(
                eventID: try rows.value(r, 0, as: String.self, purpose: purpose) ?? "",
                half: try rows.value(r, 1, as: String.self, purpose: purpose) ?? "",
                state: try rows.value(r, 2, as: String.self, purpose: purpose) ?? "",
                ceType: try rows.value(r, 3, as: String.self, purpose: purpose) ?? "",
                ceSource: try rows.value(r, 4, as: String.self, purpose: purpose) ?? "",
                ceTime: try rows.value(r, 5, as: Int64.self, purpose: purpose),
                receivedAt: try rows.value(r, 6, as: Int64.self, purpose: purpose) ?? 0,
                body: try rows.value(r, 7, as: String.self, purpose: purpose))
        }
    }

    /// Serialises every writer of one pair (an advisory lock until the transaction ends, so two halves
    /// arriving at once cannot both wait for each other) and returns the pair's stored halves, locked.
    package static func lock(modelID: Int64, eventID: String, on connection: PostgresConnection) throws -> [Half] {
        let purpose = "lock a CloudEvent pair"
        try connection.query(
            "SELECT pg_advisory_xact_lock(hashtextextended('driftwatch.cloudevent.' || $1 || '.' || $2, 0))",
            [.int(Int(modelID)), .string(eventID)], purpose: purpose)
        let rows = try connection.query(
            "SELECT \(columns) FROM cloudevent_halves WHERE model_id = $1 AND event_id = $2 FOR UPDATE",
            [.int(Int(modelID)), .string(eventID)], purpose: purpose)
        return try halves(rows, purpose: purpose)
    }

    /// Stores a half in `half.state` (`pending`, or `joining` when its partner is already here).
    package static func insert(_ half: Half, modelID: Int64, on connection: PostgresConnection) throws {
        try connection.query(
            """
            INSERT INTO cloudevent_halves
                (model_id, event_id, half, state, ce_type, ce_source, ce_time, received_at, claimed_at, body)
            VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz,
                    CASE WHEN $4 = 'pending' THEN NULL ELSE now() END, $9)
            """,
            [
                .int(Int(modelID)), .string(half.eventID), .string(half.half), .string(half.state),
                .string(half.ceType), .string(half.ceSource),
                .string(half.ceTime.map { PostgresTimestamp.text(microseconds: $0) }),
                .string(PostgresTimestamp.text(microseconds: half.receivedAt)), .string(half.body),
            ], purpose: "store a CloudEvent half")
    }

    /// Moves every half of a pair to `state` (`joining`, `sweeping`) and stamps the claim.
    package static func claim(
        modelID: Int64, eventID: String, state: String, on connection: PostgresConnection
    ) throws {
        try connection.query(
            "UPDATE cloudevent_halves SET state = $3, claimed_at = now() WHERE model_id = $1 AND event_id = $2",
            [.int(Int(modelID)), .string(eventID), .string(state)], purpose: "claim a CloudEvent pair")
    }

    /// Marks a pair stored and clears its bodies (the rows stay as tombstones for duplicate detection).
    package static func markStored(modelID: Int64, eventIDs: [String], on connection: PostgresConnection) throws {
        guard !eventIDs.isEmpty else { return }
        let ids = "{" + eventIDs.map { ArrayLiteral.quoted($0) }.joined(separator: ",") + "}"
        try connection.query(
            """
            UPDATE cloudevent_halves SET state = 'stored', claimed_at = now(), body = NULL
            WHERE model_id = $1 AND event_id = ANY($2::text[])
            """, [.int(Int(modelID)), .string(ids)], purpose: "mark CloudEvent pairs stored")
    }

    /// Halves of `modelID` the sweep should finish, locked (others' locks skipped): pending ones received
    /// more than `timeoutSeconds` ago, and joining/sweeping ones whose claim is older than
    /// `staleClaimSeconds` (left by an agent that died). Their partners are returned too.
    package static func claimWaiting(
        modelID: Int64, timeoutSeconds: Int, staleClaimSeconds: Int, limit: Int, on connection: PostgresConnection
    ) throws -> [Half] {
        let purpose = "find waiting CloudEvent halves"
        let rows = try connection.query(
            """
            SELECT \(columns) FROM cloudevent_halves
            WHERE model_id = $1 AND event_id IN (
                SELECT event_id FROM cloudevent_halves
                WHERE model_id = $1 AND state <> 'stored'
                  AND ((state = 'pending' AND received_at < now() - make_interval(secs => $2))
                       OR (state IN ('joining', 'sweeping') AND claimed_at < now() - make_interval(secs => $3)))
                ORDER BY received_at LIMIT $4)
              AND state <> 'stored'
            ORDER BY event_id, half
            FOR UPDATE SKIP LOCKED
            """, [.int(Int(modelID)), .int(timeoutSeconds), .int(staleClaimSeconds), .int(limit)], purpose: purpose)
        return try halves(rows, purpose: purpose)
    }

    /// Drops tombstones of pairs stored more than `seconds` ago; returns how many.
    package static func purgeStored(olderThanSeconds seconds: Int, on connection: PostgresConnection) throws -> Int {
        try connection.query(
            """
            DELETE FROM cloudevent_halves
            WHERE state = 'stored' AND claimed_at < now() - make_interval(secs => $1)
            """, [.int(seconds)], purpose: "drop stored CloudEvent halves"
        ).affectedRows
    }
}
