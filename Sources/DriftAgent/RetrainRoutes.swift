import DriftCore
import DriftStore
import DriftTables
import DriftTrainer
import Hummingbird

/// Retraining and model versions:
/// - `POST /v1/models/{model}/retrain` queues a job by hand (202 with its id; 200 with the id of the job
///   already queued or running);
/// - `GET /v1/retrain-jobs/{id}` and `GET /v1/models/{model}/retrain-jobs`;
/// - `GET /v1/models/{model}/versions` (newest first), `GET /v1/models/{model}/versions/{version}` (with
///   the artifact), `POST /v1/models/{model}/versions/{version}/promote` (a candidate, or a rollback);
/// - `POST /v1/models/{model}/versions[?promote=true]`: adds a version — a built-in model artifact (the
///   output of `driftwatch train`), or with `?source=external` a version trained elsewhere, reported back by
///   an external trainer (body: any JSON object, kept as its evaluation).
struct RetrainRoutes: Sendable {
    let environment: AgentEnvironment
    static let maxArtifactBytes = 64 << 20

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("models/:model/retrain") { request, context in
            try await retrain(request, model: try context.parameters.require("model"))
        }
        group.get("retrain-jobs/:id") { _, context in
            let text = try context.parameters.require("id")
            guard let id = Int64(text) else {
                throw APIError(.badRequest, code: .invalidParameter, message: "a job id is a number", field: "id")
            }
            return try await job(id)
        }
        group.get("models/:model/retrain-jobs") { _, context in
            try await jobs(model: try context.parameters.require("model"))
        }
        group.get("models/:model/versions") { _, context in
            try await versions(model: try context.parameters.require("model"))
        }
        group.get("models/:model/versions/:version") { _, context in
            try await version(model: try context.parameters.require("model"), version: try Self.number(context))
        }
        group.post("models/:model/versions/:version/promote") { _, context in
            try await promote(model: try context.parameters.require("model"), version: try Self.number(context))
        }
        group.post("models/:model/versions") { request, context in
            try await addVersion(request, model: try context.parameters.require("model"))
        }
    }

    /// The `{version}` path parameter as a number.
    static func number(_ context: BasicRequestContext) throws -> Int {
        guard let number = Int(try context.parameters.require("version")) else {
            throw APIError(.badRequest, code: .invalidParameter, message: "a version is a number", field: "version")
        }
        return number
    }

    func retrain(_ request: Request, model name: String) async throws -> Response {
        let (_, modelID) = try await environment.resolveModel(name)
        let enqueued = try await environment.pool.withConnection(purpose: "queue retraining") {
            try RetrainJobStore.enqueue(modelID: modelID, reason: "manual", trigger: "manual", on: $0)
        }
        var w = JSONWriter(pretty: false)
        w.beginObject()
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
        w.endObject()
        let status: HTTPResponse.Status = if case .queued = enqueued { .accepted } else { .ok }
        return JSONResponse.make(w.text, status: status)
    }

    func job(_ id: Int64) async throws -> Response {
        guard
            let job = try await environment.pool.withConnection(
                purpose: "read retraining job",
                {
                    try RetrainJobStore.job(id: id, on: $0)
                })
        else { throw APIError(.notFound, code: .unknownJob, message: "no retraining job \(id)") }
        let names = try await modelNames()
        var w = JSONWriter(pretty: false)
        Self.write(job, model: names[job.modelID] ?? "", into: &w)
        return JSONResponse.make(w.text)
    }

    func jobs(model name: String) async throws -> Response {
        let (_, modelID) = try await environment.resolveModel(name)
        let jobs = try await environment.pool.withConnection(purpose: "list retraining jobs") {
            try RetrainJobStore.jobs(modelID: modelID, limit: 200, on: $0)
        }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.beginArray("jobs")
        for job in jobs { Self.write(job, model: name, into: &w) }
        w.endArray()
        w.endObject()
        return JSONResponse.make(w.text)
    }

    static func write(_ job: RetrainJobStore.Job, model: String, into w: inout JSONWriter) {
        func time(_ v: Int64?) -> String? { v.map { RFC3339.text(microseconds: $0) } }
        w.beginObject()
        w.integer("job_id", Int(job.jobID))
        w.string("model", model)
        w.string("status", job.status)
        w.string("reason", job.reason)
        w.string("trigger", job.trigger)
        w.integer("attempts", job.attempts)
        w.string("created_at", time(job.createdAt))
        w.string("started_at", time(job.startedAt))
        w.string("finished_at", time(job.finishedAt))
        if let s = job.startedAt, let f = job.finishedAt { w.number("seconds", Double(f - s) / 1e6) }
        if let result = job.resultJSON { w.raw("result", result) } else { w.null("result") }
        w.string("error", job.error)
        w.endObject()
    }

    func versions(model name: String) async throws -> Response {
        let (_, modelID) = try await environment.resolveModel(name)
        let versions = try await environment.pool.withConnection(purpose: "list model versions") {
            try ModelVersionStore.versions(modelID: modelID, limit: 500, on: $0)
        }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.beginArray("versions")
        for v in versions { Self.write(v, into: &w) }
        w.endArray()
        w.endObject()
        return JSONResponse.make(w.text)
    }

    func version(model name: String, version: Int) async throws -> Response {
        let (_, modelID) = try await environment.resolveModel(name)
        guard
            let v = try await environment.pool.withConnection(
                purpose: "read model version",
                {
                    try ModelVersionStore.version(modelID: modelID, version: version, on: $0)
                })
        else {
            throw APIError(.notFound, code: .unknownVersion, message: "model '\(name)' has no version \(version)")
        }
        var w = JSONWriter(pretty: false)
        Self.write(v, into: &w)
        return JSONResponse.make(w.text)
    }

    static func write(_ v: ModelVersionStore.Version, into w: inout JSONWriter) {
        func time(_ t: Int64?) -> String? { t.map { RFC3339.text(microseconds: $0) } }
        w.beginObject()
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
        w.endObject()
    }

    func addVersion(_ request: Request, model name: String) async throws -> Response {
        let (model, modelID) = try await environment.resolveModel(name)
        let query = request.uri.queryParameters
        let promote = query.get("promote").map { $0 == "true" || $0 == "1" } ?? false
        let source = query.get("source") ?? "builtin"
        guard source == "builtin" || source == "external" else {
            throw APIError(
                .badRequest, code: .invalidParameter, message: "source is builtin or external", field: "source")
        }
        let body = try await request.body.collect(upTo: Self.maxArtifactBytes)
        let bytes = Array(body.readableBytesView)
        var new = ModelVersionStore.NewVersion(
            status: promote ? "champion" : "candidate", source: source, artifactJSON: nil, evaluationJSON: nil,
            decision: promote ? "promoted" : nil)
        if source == "builtin" {
            let trained: TrainedModel
            do {
                trained = try TrainedModel.decode(artifact: bytes)
            } catch {
                throw APIError.notAnArtifact(error)
            }
            let known = Set(model.features.map(\.name))
            if let unknown = trained.features.first(where: { !known.contains($0) }) {
                throw APIError(
                    .badRequest, code: .invalidArtifact,
                    message: "the artifact uses feature '\(unknown)', which model '\(name)' does not have")
            }
            new.artifactJSON = String(decoding: bytes, as: UTF8.self)
            new.trainedFrom = trained.training.trainedFrom
            new.trainedTo = trained.training.trainedTo
        } else {
            guard case .object? = try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)) else {
                throw APIError(.badRequest, code: .invalidJSON, message: "an external version is a JSON object")
            }
            new.evaluationJSON = String(decoding: bytes, as: UTF8.self)
        }
        let added = new
        let version = try await environment.pool.withConnection(purpose: "add model version") { connection in
            try connection.transaction(purpose: "add model version") {
                try ModelVersionStore.add(added, modelID: modelID, on: connection)
            }
        }
        if promote { await environment.champions.invalidate(modelID: modelID) }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.integer("version", version)
        w.string("status", new.status)
        w.endObject()
        return JSONResponse.make(w.text, status: .created)
    }

    /// Makes a stored version the champion again (a candidate, or a retired one: a rollback).
    func promote(model name: String, version: Int) async throws -> Response {
        let (_, modelID) = try await environment.resolveModel(name)
        let found = try await environment.pool.withConnection(purpose: "promote model version") { c in
            guard try ModelVersionStore.version(modelID: modelID, version: version, on: c) != nil else { return false }
            _ = try ModelVersionStore.promote(modelID: modelID, version: version, on: c)
            return true
        }
        guard found else {
            throw APIError(.notFound, code: .unknownVersion, message: "model '\(name)' has no version \(version)")
        }
        await environment.champions.invalidate(modelID: modelID)
        return try await self.version(model: name, version: version)
    }

    func modelNames() async throws -> [Int64: String] {
        try await environment.pool.withConnection(purpose: "list models") {
            Dictionary(try ModelStore.list(on: $0).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
