/// The `alerts` table (blocking calls: run them inside `PostgresPool.withConnection`).
public enum AlertStore {
    /// An alert that is pending or firing.
    public struct OpenAlert: Sendable, Equatable {
        public let rule: String
        public let state: String
        public let severity: String
        /// µs since the Unix epoch.
        public let startsAt: Int64
    }

    /// The model's open (pending or firing) alerts, oldest first.
    public static func open(modelID: Int64, on connection: PostgresConnection) throws -> [OpenAlert] {
        let purpose = "read open alerts"
        let rows = try connection.query(
            """
            SELECT rule, state, severity, (extract(epoch FROM starts_at) * 1000000)::int8 FROM alerts
            WHERE model_id = $1 AND state <> 'resolved' ORDER BY starts_at
            """, [.int(Int(modelID))], purpose: purpose)
        return try (0..<rows.count).map { r in
            OpenAlert(
                rule: try rows.value(r, 0, purpose: purpose) ?? "", state: try rows.value(r, 1, purpose: purpose) ?? "",
                severity: try rows.value(r, 2, purpose: purpose) ?? "",
                startsAt: try rows.value(r, 3, purpose: purpose) ?? 0)
        }
    }
}
