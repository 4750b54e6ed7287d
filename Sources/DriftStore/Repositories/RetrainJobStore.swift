import PostgresDriver

/// The retraining queue (`retrain_jobs`; blocking calls: run them inside `PostgresPool.withConnection`).
///
/// A job is claimed with `FOR UPDATE SKIP LOCKED` and a lease that its worker renews while it trains.
/// A worker that dies stops renewing; once the lease has run out another worker takes the job over (its
/// attempt count goes up). Finishing is fenced by the lease: a worker that lost its lease cannot record a
/// result, so a job is never run to completion twice. At most one job per model is queued or running.
package enum RetrainJobStore {
    /// One job as stored.
    package struct Job: Sendable, Equatable {
        package let modelID: Int64
        package let jobID: Int64
        /// `queued`, `running`, `succeeded` or `failed`.
        package let status: String
        /// The rule that queued it, or `manual`.
        package let reason: String
        /// `rule` or `manual`.
        package let trigger: String
        package let attempts: Int
        package let leaseOwner: String?
        /// µs since the epoch.
        package let leaseUntil: Int64?
        package let parametersJSON: String
        package let resultJSON: String?
        package let error: String?
        package let createdAt: Int64
        package let startedAt: Int64?
        package let finishedAt: Int64?
    }

    /// What asking for a job did.
    package enum Enqueued: Sendable, Equatable {
        /// A new job.
        case queued(jobID: Int64)
        /// The model already has a queued or running job (its id).
        case alreadyActive(jobID: Int64)
        /// A rule asked within the cooldown after the model's last job; nothing queued until `until` (µs).
        case coolingDown(until: Int64)
    }

    static func us(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000000)::int8" }
    static var columns: String {
        """
        model_id, job_id, status, reason, trigger, attempts, lease_owner, \(us("lease_until")), parameters::text,
        result::text, error, \(us("created_at")), \(us("started_at")), \(us("finished_at"))
        """
    }

    /// Queues a job for the model unless one is queued or running, or — for `trigger == "rule"` — the
    /// model's last job was queued less than `cooldownSeconds` ago.
    package static func enqueue(
        modelID: Int64, reason: String, trigger: String = "rule", cooldownSeconds: Int = 0,
        parametersJSON: String = "{}", on connection: PostgresConnection
    ) throws -> Enqueued {
        let purpose = "queue retraining"
        return try connection.transaction(purpose: purpose) {
            if let active = try activeJobID(modelID: modelID, on: connection) { return .alreadyActive(jobID: active) }
            if trigger == "rule" && cooldownSeconds > 0 {
                let until = try connection.query(
                    """
                    SELECT \(us("max(created_at) + make_interval(secs => $2)")) FROM retrain_jobs
                    WHERE model_id = $1 HAVING max(created_at) + make_interval(secs => $2) > now()
                    """, [.int(Int(modelID)), .int(cooldownSeconds)], purpose: purpose
                ).scalar(Int64.self, purpose: purpose)
                if let until { return .coolingDown(until: until) }
            }
            let id = try connection.query(
                """
                INSERT INTO retrain_jobs (model_id, reason, trigger, parameters) VALUES ($1, $2, $3, $4::jsonb)
                ON CONFLICT (model_id) WHERE status IN ('queued', 'running') DO NOTHING
                RETURNING job_id
                """, [.int(Int(modelID)), .string(reason), .string(trigger), .string(parametersJSON)],
                purpose: purpose
            ).scalar(Int64.self, purpose: purpose)
            if let id { return .queued(jobID: id) }
            return .alreadyActive(jobID: try activeJobID(modelID: modelID, on: connection) ?? 0)
        }
    }

    static func activeJobID(modelID: Int64, on connection: PostgresConnection) throws -> Int64? {
        try connection.query(
            "SELECT job_id FROM retrain_jobs WHERE model_id = $1 AND status IN ('queued', 'running')",
            [.int(Int(modelID))], purpose: "find active retraining job"
        ).scalar(Int64.self, purpose: "find active retraining job")
    }

    /// Claims the oldest job that is queued, or running under a lease that has run out, for `owner`, for
    /// `leaseSeconds`; nil when there is none.
    package static func claim(owner: String, leaseSeconds: Int, on connection: PostgresConnection) throws -> Job? {
        let purpose = "claim retraining job"
        let rows = try connection.query(
            """
            WITH next AS (
                SELECT model_id, job_id FROM retrain_jobs
                WHERE status = 'queued' OR (status = 'running' AND lease_until < now())
                ORDER BY created_at, job_id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE retrain_jobs j SET status = 'running', attempts = j.attempts + 1, lease_owner = $1,
                lease_until = now() + make_interval(secs => $2), started_at = now()
            FROM next WHERE j.model_id = next.model_id AND j.job_id = next.job_id
            RETURNING \(columns.replacingOccurrences(of: "model_id, job_id,", with: "j.model_id, j.job_id,"))
            """, [.string(owner), .int(leaseSeconds)], purpose: purpose)
        return try decode(rows, purpose).first
    }

    /// Extends `owner`'s lease on the job; false when the lease was lost (run out and taken over).
    package static func renew(
        _ job: Job, owner: String, leaseSeconds: Int, on connection: PostgresConnection
    ) throws -> Bool {
        try connection.query(
            """
            UPDATE retrain_jobs SET lease_until = now() + make_interval(secs => $4)
            WHERE model_id = $1 AND job_id = $2 AND lease_owner = $3 AND status = 'running'
            """, [.int(Int(job.modelID)), .int(Int(job.jobID)), .string(owner), .int(leaseSeconds)],
            purpose: "renew retraining lease"
        ).affectedRows == 1
    }

    /// Records the job's end (`succeeded` or `failed`) if `owner` still holds it; false otherwise (nothing
    /// written). Call it inside the transaction that also records what the job decided.
    package static func finish(
        _ job: Job, owner: String, status: String, resultJSON: String?, error: String?,
        on connection: PostgresConnection
    ) throws -> Bool {
        try connection.query(
            """
            UPDATE retrain_jobs SET status = $4, result = $5::jsonb, error = $6, finished_at = now(),
                lease_owner = NULL, lease_until = NULL
            WHERE model_id = $1 AND job_id = $2 AND lease_owner = $3 AND status = 'running'
            """,
            [
                .int(Int(job.modelID)), .int(Int(job.jobID)), .string(owner), .string(status), .string(resultJSON),
                .string(error),
            ], purpose: "finish retraining job"
        ).affectedRows == 1
    }

    /// The job with this id.
    package static func job(id: Int64, on connection: PostgresConnection) throws -> Job? {
        let purpose = "read retraining job"
        let rows = try connection.query(
            "SELECT \(columns) FROM retrain_jobs WHERE job_id = $1", [.int(Int(id))], purpose: purpose)
        return try decode(rows, purpose).first
    }

    /// The model's newest jobs first.
    package static func jobs(modelID: Int64, limit: Int, on connection: PostgresConnection) throws -> [Job] {
        let purpose = "list retraining jobs"
        let rows = try connection.query(
            "SELECT \(columns) FROM retrain_jobs WHERE model_id = $1 ORDER BY created_at DESC, job_id DESC LIMIT $2",
            [.int(Int(modelID)), .int(limit)], purpose: purpose)
        return try decode(rows, purpose)
    }

    static func decode(_ rows: PostgresRows, _ purpose: String) throws -> [Job] {
        try (0..<rows.count).map { r in
            Job(
                modelID: try rows.value(r, 0, purpose: purpose) ?? 0,
                jobID: try rows.value(r, 1, purpose: purpose) ?? 0,
                status: try rows.value(r, 2, purpose: purpose) ?? "",
                reason: try rows.value(r, 3, purpose: purpose) ?? "",
                trigger: try rows.value(r, 4, purpose: purpose) ?? "rule",
                attempts: try rows.value(r, 5, purpose: purpose) ?? 0,
                leaseOwner: try rows.value(r, 6, purpose: purpose),
                leaseUntil: try rows.value(r, 7, purpose: purpose),
                parametersJSON: try rows.value(r, 8, purpose: purpose) ?? "{}",
                resultJSON: try rows.value(r, 9, purpose: purpose),
                error: try rows.value(r, 10, purpose: purpose),
                createdAt: try rows.value(r, 11, purpose: purpose) ?? 0,
                startedAt: try rows.value(r, 12, purpose: purpose),
                finishedAt: try rows.value(r, 13, purpose: purpose))
        }
    }
}
