import DriftCore
import Hummingbird

/// `PUT /v1/models/{model}/reference` (a CSV or NDJSON body becomes the model's reference profile) and
/// `GET /v1/models/{model}/reference` (what the current reference is).
///
/// The body is read whole (up to the server's body limit: the columns must be sorted) — a CSV when the
/// content type says `text/csv`, NDJSON when it says `application/x-ndjson`, else by its first byte
/// (`{` for NDJSON). Every configured feature must be a column; `prediction` and `score` columns are
/// profiled when present. `?source=` names it (default `upload`). Windows closed from then on are compared
/// with it; the previous reference is kept in the database, no longer current.
struct ReferenceRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.put("models/:model/reference") { request, context in
            try await put(request, model: try context.parameters.require("model"))
        }
        group.get("models/:model/reference") { _, context in
            try await get(model: try context.parameters.require("model"))
        }
    }

    var references: ReferenceUpload { ReferenceUpload(pool: environment.pool) }

    func put(_ request: Request, model name: String) async throws -> JSONReply<ReferenceSummary> {
        let (model, modelID) = try await environment.resolveModel(name)
        let buffer = try await request.body.collect(upTo: environment.configuration.server.maxBufferedBodyBytes)
        let body = Array(buffer.readableBytesView)
        let format = ReferenceUpload.Format(contentType: request.headers[.contentType] ?? "", body: body)
        let profile = try await ReferenceUpload.profile(body, format: format, model: model)
        let query = try ReferenceUploadQuery(request.uri.queryParameters)
        try await references.save(profile, source: query.source, modelID: modelID)
        return try await get(model: name)
    }

    func get(model name: String) async throws -> JSONReply<ReferenceSummary> {
        let (model, modelID) = try await environment.resolveModel(name)
        guard let stored = try await references.current(modelID: modelID) else {
            throw APIError(
                .notFound, code: .noReference,
                message: "model '\(name)' has no reference yet (PUT one, or see its `reference` setting)")
        }
        return JSONReply(ReferenceSummary(model: name, stored: stored, schema: ProfileSchema(model: model)))
    }
}
