import Crypto
import DriftCore
import Foundation
import PostgresDriver

/// The `reference_profiles` table: each model's current reference profile and the ones it replaced
/// (blocking calls: run them inside `PostgresPool.withConnection`).
package enum ReferenceStore {
    /// A stored reference.
    package struct Stored: Sendable {
        package let profileID: Int64
        package let source: String
        package let rowCount: Int
        /// Microseconds since the Unix epoch.
        package let createdAt: Int64
        package let profile: ReferenceProfile
    }

    /// Makes `profile` the model's current reference (the previous one is kept, not current). Concurrent
    /// saves for one model are serialized on the model's row, so none fails on the one-current index.
    @discardableResult
    package static func save(
        _ profile: ReferenceProfile, source: String, modelID: Int64, on connection: PostgresConnection
    ) throws -> Int64 {
        let json = try encoded(profile)
        return try connection.transaction(purpose: "store reference profile") {
            try lockModel(modelID, on: connection)
            return try insertCurrent(json, rowCount: profile.rowCount, source: source, modelID: modelID, on: connection)
        }
    }

    /// Makes `profile` the model's current reference unless the current one already has `source`; returns
    /// whether it stored it. Safe when several agents start at once with the same configured reference:
    /// the first stores it, the others (serialized on the model's row) find it current and store nothing.
    @discardableResult
    package static func saveUnlessCurrent(
        _ profile: ReferenceProfile, source: String, modelID: Int64, on connection: PostgresConnection
    ) throws -> Bool {
        let json = try encoded(profile)
        return try connection.transaction(purpose: "store reference profile") {
            try lockModel(modelID, on: connection)
            guard try currentSource(modelID: modelID, on: connection) != source else { return false }
            try insertCurrent(json, rowCount: profile.rowCount, source: source, modelID: modelID, on: connection)
            return true
        }
    }

    static func encoded(_ profile: ReferenceProfile) throws -> String {
        do {
            return String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)
        } catch {
            throw PostgresError(
                .decoding, purpose: "store reference profile", message: "cannot encode the profile: \(error)")
        }
    }

    /// Locks the model's row until the transaction ends (`FOR NO KEY UPDATE`: foreign-key checks of
    /// concurrent inserts are not held up).
    static func lockModel(_ modelID: Int64, on connection: PostgresConnection) throws {
        let rows = try connection.query(
            "SELECT model_id FROM models WHERE model_id = $1 FOR NO KEY UPDATE", [.int(Int(modelID))],
            purpose: "lock model for its reference")
        guard !rows.isEmpty else {
            throw PostgresError(
                .server, purpose: "store reference profile", message: "no model with id \(modelID) is registered")
        }
    }

    @discardableResult
    static func insertCurrent(
        _ json: String, rowCount: Int, source: String, modelID: Int64, on connection: PostgresConnection
    ) throws -> Int64 {
        let purpose = "store reference profile"
        _ = try connection.query(
            "UPDATE reference_profiles SET is_current = false WHERE model_id = $1 AND is_current",
            [.int(Int(modelID))], purpose: purpose)
        let rows = try connection.query(
            """
            INSERT INTO reference_profiles (model_id, source, row_count, profile) VALUES ($1, $2, $3, $4::jsonb)
            RETURNING profile_id
            """, [.int(Int(modelID)), .string(source), .int(rowCount), .string(json)], purpose: purpose)
        return try rows.scalar(Int64.self, purpose: purpose) ?? 0
    }

    /// The model's current reference, if any.
    package static func current(modelID: Int64, on connection: PostgresConnection) throws -> Stored? {
        let purpose = "read reference profile"
        let rows = try connection.query(
            """
            SELECT profile_id, source, row_count, (extract(epoch FROM created_at) * 1000000)::int8, profile::text
            FROM reference_profiles WHERE model_id = $1 AND is_current
            """, [.int(Int(modelID))], purpose: purpose)
        guard !rows.isEmpty, let text = try rows.value(0, 4, as: String.self, purpose: purpose) else { return nil }
        let profile: ReferenceProfile
        do {
            profile = try JSONDecoder().decode(ReferenceProfile.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(.decoding, purpose: purpose, message: "the stored profile is not readable: \(error)")
        }
        return Stored(
            profileID: try rows.value(0, 0, purpose: purpose) ?? 0,
            source: try rows.value(0, 1, purpose: purpose) ?? "",
            rowCount: try rows.value(0, 2, purpose: purpose) ?? 0,
            createdAt: try rows.value(0, 3, purpose: purpose) ?? 0, profile: profile)
    }

    /// The source of the model's current reference (cheap: the profile is not read).
    package static func currentSource(modelID: Int64, on connection: PostgresConnection) throws -> String? {
        try connection.query(
            "SELECT source FROM reference_profiles WHERE model_id = $1 AND is_current", [.int(Int(modelID))],
            purpose: "read reference source"
        ).scalar(String.self, purpose: "read reference source")
    }

    /// The source text of a reference file: its name and the SHA-256 of its bytes, so an unchanged file
    /// is recognized at the next start and a changed one replaces the reference.
    package static func fileSource(path: String, bytes: UnsafeBufferPointer<UInt8>) -> String {
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return "file:\(path) sha256:\(digest)"
    }
}
