/// Finished retraining jobs (`retrain_jobs` rows that succeeded or failed), read for reports (blocking
/// calls: run them inside `PostgresPool.withConnection`).
public enum RetrainHistory {
    /// One finished job.
    public struct Job: Sendable, Equatable {
        public let jobID: Int64
        /// `succeeded` or `failed`.
        public let status: String
        public let reason: String
        /// Microseconds since the Unix epoch.
        public let finishedAt: Int64
        /// The job's result document as stored (JSON text), if any.
        public let resultJSON: String?
        public let error: String?
    }

    /// The model's jobs that finished in [from, to), by finish time (at most `limit`).
    public static func finished(
        modelID: Int64, from: Int64, to: Int64, limit: Int = 1000, on connection: PostgresConnection
    ) throws -> [Job] {
        let purpose = "read finished retraining jobs"
        let rows = try connection.query(
            """
            SELECT job_id, status, reason, (extract(epoch FROM finished_at) * 1000000)::int8, result::text, error
            FROM retrain_jobs
            WHERE model_id = $1 AND status IN ('succeeded', 'failed') AND finished_at IS NOT NULL
              AND finished_at >= $2::timestamptz AND finished_at < $3::timestamptz
            ORDER BY finished_at, job_id LIMIT $4
            """,
            [
                .int(Int(modelID)), .string(PostgresTimestamp.text(microseconds: from)),
                .string(PostgresTimestamp.text(microseconds: to)), .int(limit),
            ], purpose: purpose)
        return try (0..<rows.count).map { r in
            Job(
                jobID: try rows.value(r, 0, purpose: purpose) ?? 0,
                status: try rows.value(r, 1, purpose: purpose) ?? "",
                reason: try rows.value(r, 2, purpose: purpose) ?? "",
                finishedAt: try rows.value(r, 3, purpose: purpose) ?? 0,
                resultJSON: try rows.value(r, 4, purpose: purpose),
                error: try rows.value(r, 5, purpose: purpose))
        }
    }
}
