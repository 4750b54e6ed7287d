import DriftStore
import PostgresDriver

/// Retraining jobs as the API sees them: queued by hand, read one by one or per model.
struct RetrainJobs: Sendable {
    let pool: PostgresPool

    /// Queues a manual job for the model unless one is queued or running.
    func enqueue(modelID: Int64) async throws -> RetrainJobStore.Enqueued {
        try await pool.withConnection(purpose: "queue retraining") {
            try RetrainJobStore.enqueue(modelID: modelID, reason: "manual", trigger: "manual", on: $0)
        }
    }

    /// The job with its model's name, or nil when there is no such job.
    func job(id: Int64) async throws -> RetrainJobReply? {
        try await pool.withConnection(purpose: "read retraining job") { connection in
            guard let job = try RetrainJobStore.job(id: id, on: connection) else { return nil }
            let model = try ModelStore.list(on: connection).first { $0.id == job.modelID }?.name ?? ""
            return RetrainJobReply(job: job, model: model)
        }
    }

    /// The model's last 200 jobs, newest first.
    func jobs(modelID: Int64, model: String) async throws -> RetrainJobList {
        let jobs = try await pool.withConnection(purpose: "list retraining jobs") {
            try RetrainJobStore.jobs(modelID: modelID, limit: 200, on: $0)
        }
        return RetrainJobList(jobs: jobs.map { RetrainJobReply(job: $0, model: model) })
    }
}
