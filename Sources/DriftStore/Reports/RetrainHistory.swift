import DriftCore
import DriftTables
import PostgresDriver

/// Finished retraining jobs (`retrain_jobs` rows that succeeded or failed), read for reports (blocking
/// calls: run them inside `PostgresPool.withConnection`).
///
/// A report's time axis is event time, while a job finishes in wall-clock time (the two differ when a log
/// is replayed, or labels come days late). A job is therefore placed at the event time its training data
/// reaches (`trained_to` in its result), and at its finish time when it has none (a failed job).
package enum RetrainHistory {
    /// One finished job.
    package struct Job: Sendable, Equatable {
        package let jobID: Int64
        /// `succeeded` or `failed`.
        package let status: String
        package let reason: String
        /// Microseconds since the Unix epoch.
        package let finishedAt: Int64
        /// Where the job stands on the report's event-time axis (µs): its result's `trained_to`, else
        /// `finishedAt`.
        package var axisTime: Int64 {
            if let text = resultJSON, case .string(let t)? = (try? JSONValue.parse(text))?["trained_to"],
                let time = RFC3339.microseconds(t)
            {
                return time
            }
            return finishedAt
        }
        /// The job's result document as stored (JSON text), if any.
        package let resultJSON: String?
        package let error: String?
    }

    /// The model's finished jobs whose `axisTime` is in [from, to), in that order (of its latest `limit`
    /// jobs).
    package static func finished(
        modelID: Int64, from: Int64, to: Int64, limit: Int = 1000, on connection: PostgresConnection
    ) throws -> [Job] {
        let purpose = "read finished retraining jobs"
        let rows = try connection.query(
            """
            SELECT job_id, status, reason, (extract(epoch FROM finished_at) * 1000000)::int8, result::text, error
            FROM retrain_jobs
            WHERE model_id = $1 AND status IN ('succeeded', 'failed') AND finished_at IS NOT NULL
            ORDER BY finished_at DESC, job_id DESC LIMIT $2
            """, [.int(Int(modelID)), .int(limit)], purpose: purpose)
        let jobs = try (0..<rows.count).map { r in
            Job(
                jobID: try rows.value(r, 0, purpose: purpose) ?? 0,
                status: try rows.value(r, 1, purpose: purpose) ?? "",
                reason: try rows.value(r, 2, purpose: purpose) ?? "",
                finishedAt: try rows.value(r, 3, purpose: purpose) ?? 0,
                resultJSON: try rows.value(r, 4, purpose: purpose),
                error: try rows.value(r, 5, purpose: purpose))
        }
        return jobs.filter { $0.axisTime >= from && $0.axisTime < to }.sorted {
            ($0.axisTime, $0.jobID) < ($1.axisTime, $1.jobID)
        }
    }
}
