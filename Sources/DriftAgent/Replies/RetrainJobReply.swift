import DriftStore
import DriftTables
import Hummingbird

/// A retraining job as `GET /v1/retrain-jobs/{id}` and the model's job list answer it.
struct RetrainJobReply: JSONWritable, Sendable {
    let job: RetrainJobStore.Job
    /// The model's name (empty when the model is gone).
    let model: String

    func writeMembers(to w: inout JSONWriter) {
        func time(_ v: Int64?) -> String? { v.map { RFC3339.text(microseconds: $0) } }
        w.integer("job_id", Int(job.jobID))
        w.string("model", model)
        w.string("status", job.status)
        w.string("reason", job.reason)
        w.string("trigger", job.trigger)
        w.integer("attempts", job.attempts)
        w.string("created_at", time(job.createdAt))
        w.string("started_at", time(job.startedAt))
        w.string("finished_at", time(job.finishedAt))
        // In Double: stored times are any two PostgreSQL timestamps, whose difference may not fit Int64.
        if let s = job.startedAt, let f = job.finishedAt { w.number("seconds", (Double(f) - Double(s)) / 1e6) }
        if let result = job.resultJSON { w.raw("result", result) } else { w.null("result") }
        w.string("error", job.error)
    }
}

/// `GET /v1/models/{model}/retrain-jobs`: the model's jobs, newest first.
struct RetrainJobList: JSONWritable, Sendable {
    let jobs: [RetrainJobReply]

    func writeMembers(to w: inout JSONWriter) { w.array("jobs", jobs) }
}

/// `POST /v1/models/{model}/retrain`: the job queued (202), the one already queued or running, or none
/// while the model cools down (200).
struct RetrainQueueReply: JSONWritable, Sendable {
    let enqueued: RetrainJobStore.Enqueued

    var status: HTTPResponse.Status {
        if case .queued = enqueued { .accepted } else { .ok }
    }

    func writeMembers(to w: inout JSONWriter) {
        switch enqueued {
        case .queued(let id):
            w.integer("job_id", Int(id))
            w.bool("queued", true)
        case .alreadyActive(let id):
            w.integer("job_id", Int(id))
            w.bool("queued", false)
            w.string("message", "a job for this model is already queued or running")
        case .coolingDown:
            w.null("job_id")
            w.bool("queued", false)
        }
    }
}
