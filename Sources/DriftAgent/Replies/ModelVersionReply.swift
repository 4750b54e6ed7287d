import DriftStore
import DriftTables

/// A model version as `GET /v1/models/{model}/versions/{version}` answers it (with its artifact when read
/// alone; without in lists).
struct ModelVersionReply: JSONWritable, Sendable {
    let version: ModelVersionStore.Version

    func writeMembers(to w: inout JSONWriter) {
        func time(_ t: Int64?) -> String? { t.map { RFC3339.text(microseconds: $0) } }
        let v = version
        w.integer("version", v.version)
        w.string("status", v.status)
        w.string("source", v.source)
        if let job = v.jobID { w.integer("job_id", Int(job)) } else { w.null("job_id") }
        w.string("decision", v.decision)
        w.string("trained_from", time(v.trainedFrom))
        w.string("trained_to", time(v.trainedTo))
        w.string("created_at", time(v.createdAt))
        w.string("promoted_at", time(v.promotedAt))
        if let e = v.evaluationJSON { w.raw("evaluation", e) } else { w.null("evaluation") }
        if let a = v.artifactJSON { w.raw("artifact", a) }
    }
}

/// `GET /v1/models/{model}/versions`: the model's versions, newest first.
struct ModelVersionList: JSONWritable, Sendable {
    let versions: [ModelVersionReply]

    func writeMembers(to w: inout JSONWriter) { w.array("versions", versions) }
}

/// `POST /v1/models/{model}/versions`: the number and status of the version added.
struct AddedVersionReply: JSONWritable, Sendable {
    let version: Int
    let status: String

    func writeMembers(to w: inout JSONWriter) {
        w.integer("version", version)
        w.string("status", status)
    }
}
