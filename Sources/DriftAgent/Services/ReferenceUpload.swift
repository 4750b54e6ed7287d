import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import PostgresDriver

/// A reference table sent to `PUT /v1/models/{model}/reference`, profiled and stored as the model's
/// current reference: a CSV or NDJSON body, told apart by its content type or else by its first byte.
struct ReferenceUpload: Sendable {
    /// The body's format.
    enum Format: Sendable {
        case csv
        case ndjson

        /// NDJSON when the content type says JSON, CSV when it says `text/csv`, else NDJSON when the
        /// first byte after white space (and a byte-order mark) is `{`.
        init(contentType: String, body: [UInt8]) {
            let type = contentType.lowercased()
            let firstByte = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF }
            let isNDJSON =
                type.hasPrefix("application/x-ndjson") || type.hasPrefix("application/json")
                || (!type.hasPrefix("text/csv") && firstByte == UInt8(ascii: "{"))
            self = isNDJSON ? .ndjson : .csv
        }
    }

    let pool: PostgresPool

    /// The reference profile of `body`, read on the blocking executor (the CSV reader's threads never run
    /// on the cooperative pool).
    /// - Throws: `APIError` `invalid_reference` naming the line and column of a bad table.
    static func profile(_ body: [UInt8], format: Format, model: ModelConfiguration) async throws -> ReferenceProfile {
        let schema = ProfileSchema(model: model)
        let bins = model.drift.bins
        do {
            return try await BlockingExecutor.shared.run {
                let options = ReferenceProfile.readOptions(schema: schema)
                let table =
                    switch format {
                    case .ndjson: try NDJSONReader.read(bytes: body, source: "body", options: options)
                    case .csv: try CSVReader.read(bytes: body, source: "body", options: options)
                    }
                return try ReferenceProfile(table: table, schema: schema, bins: bins)
            }
        } catch let error as TableError {
            throw APIError.invalidReference(error)
        }
    }

    /// Stores `profile` as the model's current reference (the previous one is kept, no longer current).
    func save(_ profile: ReferenceProfile, source: String, modelID: Int64) async throws {
        _ = try await pool.withConnection(purpose: "store reference") {
            try ReferenceStore.save(profile, source: source, modelID: modelID, on: $0)
        }
    }

    /// The model's current reference, or nil when it has none.
    func current(modelID: Int64) async throws -> ReferenceStore.Stored? {
        try await pool.withConnection(purpose: "read reference") {
            try ReferenceStore.current(modelID: modelID, on: $0)
        }
    }
}
