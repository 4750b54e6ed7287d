import DriftCore
import DriftStore
import DriftTables
import DriftTrainer
import PostgresDriver

/// A model's versions — listed, read, added (a built-in artifact or an external trainer's report) and
/// promoted; what the version routes call.
struct ModelVersions: Sendable {
    /// Where a new version comes from: a `driftwatch train` artifact, or a trainer outside the agent.
    enum Source: String, Sendable {
        case builtin
        case external
    }

    let pool: PostgresPool
    let champions: ChampionCache

    /// The model's versions, newest first, without their artifacts.
    func list(modelID: Int64) async throws -> [ModelVersionStore.Version] {
        try await pool.withConnection(purpose: "list model versions") {
            try ModelVersionStore.versions(modelID: modelID, limit: 500, on: $0)
        }
    }

    /// The version with its artifact, or nil when the model has no such version.
    func find(modelID: Int64, version: Int) async throws -> ModelVersionStore.Version? {
        try await pool.withConnection(purpose: "read model version") {
            try ModelVersionStore.version(modelID: modelID, version: version, on: $0)
        }
    }

    /// Stores `body` as the model's next version, the champion when `promote`.
    /// - Throws: `APIError` `invalid_artifact` or `invalid_json` when the body is not what `source` needs.
    func add(
        _ body: [UInt8], source: Source, promote: Bool, model: ModelConfiguration, modelID: Int64
    ) async throws -> AddedVersionReply {
        let new = try Self.newVersion(body, source: source, promote: promote, model: model)
        let version = try await pool.withConnection(purpose: "add model version") { connection in
            try connection.transaction(purpose: "add model version") {
                try ModelVersionStore.add(new, modelID: modelID, on: connection)
            }
        }
        if promote { await champions.invalidate(modelID: modelID) }
        return AddedVersionReply(version: version, status: new.status)
    }

    /// Makes a stored version the champion (a candidate, or a retired one: a rollback); false when the
    /// model has no such version.
    func promote(modelID: Int64, version: Int) async throws -> Bool {
        let found = try await pool.withConnection(purpose: "promote model version") { c in
            guard try ModelVersionStore.version(modelID: modelID, version: version, on: c) != nil else { return false }
            _ = try ModelVersionStore.promote(modelID: modelID, version: version, on: c)
            return true
        }
        if found { await champions.invalidate(modelID: modelID) }
        return found
    }

    /// The row to store for `body`: a built-in artifact whose features the model has, or an external
    /// trainer's evaluation (any JSON object).
    static func newVersion(
        _ body: [UInt8], source: Source, promote: Bool, model: ModelConfiguration
    ) throws -> ModelVersionStore.NewVersion {
        var new = ModelVersionStore.NewVersion(
            status: promote ? "champion" : "candidate", source: source.rawValue, artifactJSON: nil,
            evaluationJSON: nil, decision: promote ? "promoted" : nil)
        let text = String(decoding: body, as: UTF8.self)
        if let parsed = try? JSONValue.parse(text), Self.holdsNUL(parsed) {
            throw APIError(
                .badRequest, code: .invalidJSON,
                message: "the body holds a NUL character (\\u0000), which PostgreSQL's jsonb cannot store")
        }
        switch source {
        case .builtin:
            let trained = try artifact(body, model: model)
            new.artifactJSON = text
            new.trainedFrom = trained.training.trainedFrom
            new.trainedTo = trained.training.trainedTo
        case .external:
            guard case .object? = try? JSONValue.parse(text) else {
                throw APIError(.badRequest, code: .invalidJSON, message: "an external version is a JSON object")
            }
            new.evaluationJSON = text
        }
        return new
    }

    /// Whether a string or key anywhere in `value` holds U+0000.
    static func holdsNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool, .number: false
        case .string(let s): s.utf8.contains(0)
        case .array(let items): items.contains(where: holdsNUL)
        case .object(let members): members.contains { $0.0.utf8.contains(0) || holdsNUL($0.1) }
        }
    }

    /// The built-in model in `body`, checked against the model's features.
    static func artifact(_ body: [UInt8], model: ModelConfiguration) throws -> TrainedModel {
        let trained: TrainedModel
        do {
            trained = try TrainedModel.decode(artifact: body)
        } catch {
            throw APIError.notAnArtifact(error)
        }
        let known = Set(model.features.map(\.name))
        if let unknown = trained.features.first(where: { !known.contains($0) }) {
            throw APIError(
                .badRequest, code: .invalidArtifact,
                message: "the artifact uses feature '\(unknown)', which model '\(model.name)' does not have")
        }
        return trained
    }
}
