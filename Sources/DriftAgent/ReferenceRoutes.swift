import DriftCore
import DriftStore
import DriftSystem
import DriftTables
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

    func put(_ request: Request, model name: String) async throws -> Response {
        let (model, modelID) = try await environment.resolveModel(name)
        let buffer = try await request.body.collect(upTo: environment.configuration.server.maxBufferedBodyBytes)
        let bytes = Array(buffer.readableBytesView)
        let source = "upload:" + (request.uri.queryParameters.get("source") ?? "reference")
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let firstByte = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF }
        let isNDJSON =
            contentType.hasPrefix("application/x-ndjson") || contentType.hasPrefix("application/json")
            || (!contentType.hasPrefix("text/csv") && firstByte == UInt8(ascii: "{"))
        let schema = ProfileSchema(model: model)
        let profile: ReferenceProfile
        do {
            // Parsed on the blocking executor: the CSV reader's threads never run on the cooperative pool.
            let bins = model.drift.bins
            profile = try await BlockingExecutor.shared.run {
                let options = ReferenceProfile.readOptions(schema: schema)
                let table =
                    isNDJSON
                    ? try NDJSONReader.read(bytes: bytes, source: "body", options: options)
                    : try CSVReader.read(bytes: bytes, source: "body", options: options)
                return try ReferenceProfile(table: table, schema: schema, bins: bins)
            }
        } catch let error as TableError {
            throw APIError.invalidReference(error)
        }
        let stored = profile
        _ = try await environment.pool.withConnection(purpose: "store reference") {
            try ReferenceStore.save(stored, source: source, modelID: modelID, on: $0)
        }
        return try await get(model: name)
    }

    func get(model name: String) async throws -> Response {
        let (model, modelID) = try await environment.resolveModel(name)
        let stored = try await environment.pool.withConnection(purpose: "read reference") {
            try ReferenceStore.current(modelID: modelID, on: $0)
        }
        guard let stored else {
            throw APIError(
                .notFound, code: .noReference,
                message: "model '\(name)' has no reference yet (PUT one, or see its `reference` setting)")
        }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("model", name)
        Self.write(stored, schema: ProfileSchema(model: model), to: &w)
        w.endObject()
        return JSONResponse.make(w.text)
    }

    /// The reference's summary members: source, rows, creation time and per-column counts.
    static func write(_ stored: ReferenceStore.Stored, schema: ProfileSchema, to w: inout JSONWriter) {
        w.string("source", stored.source)
        w.integer("rows", stored.rowCount)
        w.string("created_at", RFC3339.text(microseconds: stored.createdAt))
        w.beginArray("columns")
        for (f, p) in zip(schema.numericFeatures, stored.profile.numeric) {
            w.beginObject()
            w.string("name", f.name)
            w.string("type", "numeric")
            w.integer("count", p.count)
            w.integer("missing", p.missing)
            w.bool("exact", p.sortedValues != nil)
            w.endObject()
        }
        for (f, p) in zip(schema.categoricalFeatures, stored.profile.categorical) {
            w.beginObject()
            w.string("name", f.name)
            w.string("type", "categorical")
            w.integer("count", p.count)
            w.integer("missing", p.missing)
            w.integer("categories", p.counts.count)
            w.endObject()
        }
        w.endArray()
    }
}
