import DriftCore
import DriftStore
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

    /// The `{version}` path parameter as a number (versions are stored as 32-bit integers).
    static func number(_ context: BasicRequestContext) throws -> Int {
        guard let number = Int32(try context.parameters.require("version")) else {
            throw APIError(
                .badRequest, code: .invalidParameter, message: "a version is a 32-bit whole number", field: "version")
        }
        return Int(number)
    }

    var retrainJobs: RetrainJobs { RetrainJobs(pool: environment.pool) }
    var modelVersions: ModelVersions { ModelVersions(pool: environment.pool, champions: environment.champions) }

    func retrain(_ request: Request, model name: String) async throws -> JSONReply<RetrainQueueReply> {
        let (_, modelID) = try await environment.resolveModel(name)
        let reply = RetrainQueueReply(enqueued: try await retrainJobs.enqueue(modelID: modelID))
        return JSONReply(reply, status: reply.status)
    }

    func job(_ id: Int64) async throws -> JSONReply<RetrainJobReply> {
        guard let job = try await retrainJobs.job(id: id) else {
            throw APIError(.notFound, code: .unknownJob, message: "no retraining job \(id)")
        }
        return JSONReply(job)
    }

    func jobs(model name: String) async throws -> JSONReply<RetrainJobList> {
        let (_, modelID) = try await environment.resolveModel(name)
        return JSONReply(try await retrainJobs.jobs(modelID: modelID, model: name))
    }

    func versions(model name: String) async throws -> JSONReply<ModelVersionList> {
        let (_, modelID) = try await environment.resolveModel(name)
        let list = try await modelVersions.list(modelID: modelID)
        return JSONReply(ModelVersionList(versions: list.map(ModelVersionReply.init)))
    }

    func version(model name: String, version: Int) async throws -> JSONReply<ModelVersionReply> {
        let (_, modelID) = try await environment.resolveModel(name)
        guard let found = try await modelVersions.find(modelID: modelID, version: version) else {
            throw Self.unknownVersion(model: name, version: version)
        }
        return JSONReply(ModelVersionReply(version: found))
    }

    func addVersion(_ request: Request, model name: String) async throws -> JSONReply<AddedVersionReply> {
        let (model, modelID) = try await environment.resolveModel(name)
        let query = try VersionUploadQuery(request.uri.queryParameters)
        let body = try await request.body.collect(upTo: Self.maxArtifactBytes)
        let added = try await modelVersions.add(
            Array(body.readableBytesView), source: query.source, promote: query.promote, model: model, modelID: modelID)
        return JSONReply(added, status: .created)
    }

    /// Makes a stored version the champion again (a candidate, or a retired one: a rollback).
    func promote(model name: String, version: Int) async throws -> JSONReply<ModelVersionReply> {
        let (_, modelID) = try await environment.resolveModel(name)
        guard try await modelVersions.promote(modelID: modelID, version: version) else {
            throw Self.unknownVersion(model: name, version: version)
        }
        return try await self.version(model: name, version: version)
    }

    static func unknownVersion(model: String, version: Int) -> APIError {
        APIError(.notFound, code: .unknownVersion, message: "model '\(model)' has no version \(version)")
    }
}
