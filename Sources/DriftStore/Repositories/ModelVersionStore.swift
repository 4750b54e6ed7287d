import PostgresDriver

/// A model's versions (`model_versions`): the champion that serves and is compared against, candidates,
/// rejected challengers and retired champions (blocking calls: run them inside
/// `PostgresPool.withConnection`). At most one version per model is the champion.
package enum ModelVersionStore {
    /// One version as stored (`artifact` only when asked for).
    package struct Version: Sendable, Equatable {
        package let modelID: Int64
        package let version: Int
        /// `candidate`, `champion`, `retired` or `rejected`.
        package let status: String
        /// `builtin` (trained by Driftwatch, with an artifact) or `external`.
        package let source: String
        package let artifactJSON: String?
        package let evaluationJSON: String?
        /// µs since the epoch: the event-time range of its training data.
        package let trainedFrom: Int64?
        package let trainedTo: Int64?
        package let createdAt: Int64
        package let promotedAt: Int64?
        package let jobID: Int64?
        package let decision: String?
    }

    /// A version to add.
    package struct NewVersion: Sendable {
        package var status: String
        package var source: String
        package var artifactJSON: String?
        package var evaluationJSON: String?
        package var trainedFrom: Int64?
        package var trainedTo: Int64?
        package var jobID: Int64?
        package var decision: String?

        package init(
            status: String, source: String = "builtin", artifactJSON: String?, evaluationJSON: String?,
            trainedFrom: Int64? = nil, trainedTo: Int64? = nil, jobID: Int64? = nil, decision: String? = nil
        ) {
            self.status = status
            self.source = source
            self.artifactJSON = artifactJSON
            self.evaluationJSON = evaluationJSON
            self.trainedFrom = trainedFrom
            self.trainedTo = trainedTo
            self.jobID = jobID
            self.decision = decision
        }
    }

    static func us(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000000)::int8" }
    static func columns(artifact: Bool) -> String {
        """
        model_id, version, status, source, \(artifact ? "artifact::text" : "NULL::text"), evaluation::text,
        \(us("trained_from")), \(us("trained_to")), \(us("created_at")), \(us("promoted_at")), job_id, decision
        """
    }

    /// Adds a version numbered one past the model's highest; a `champion` retires the current one. Runs in
    /// the caller's transaction when there is one (so a job records its decision and its end at once).
    @discardableResult
    package static func add(_ new: NewVersion, modelID: Int64, on connection: PostgresConnection) throws -> Int {
        let purpose = "add model version"
        // Serializes version numbering per model.
        _ = try connection.query(
            "SELECT 1 FROM models WHERE model_id = $1 FOR UPDATE", [.int(Int(modelID))], purpose: purpose)
        if new.status == "champion" {
            _ = try connection.query(
                "UPDATE model_versions SET status = 'retired' WHERE model_id = $1 AND status = 'champion'",
                [.int(Int(modelID))], purpose: purpose)
        }
        func ts(_ v: Int64?) -> PostgresParameter { .string(v.map { PostgresTimestamp.text(microseconds: $0) }) }
        let version = try connection.query(
            """
            INSERT INTO model_versions (model_id, version, status, source, artifact, evaluation, trained_from,
                trained_to, job_id, decision, promoted_at)
            SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4::jsonb, $5::jsonb, $6::timestamptz, $7::timestamptz,
                $8, $9, CASE WHEN $2 = 'champion' THEN now() END
            FROM model_versions WHERE model_id = $1
            RETURNING version
            """,
            [
                .int(Int(modelID)), .string(new.status), .string(new.source), .string(new.artifactJSON),
                .string(new.evaluationJSON), ts(new.trainedFrom), ts(new.trainedTo), .int(new.jobID.map { Int($0) }),
                .string(new.decision),
            ], purpose: purpose
        ).scalar(Int.self, purpose: purpose)
        return version ?? 0
    }

    /// Makes `version` the champion (retiring the current one); false when there is no such version.
    package static func promote(modelID: Int64, version: Int, on connection: PostgresConnection) throws -> Bool {
        let purpose = "promote model version"
        return try connection.transaction(purpose: purpose) {
            _ = try connection.query(
                "UPDATE model_versions SET status = 'retired' WHERE model_id = $1 AND status = 'champion' AND version <> $2",
                [.int(Int(modelID)), .int(version)], purpose: purpose)
            return try connection.query(
                """
                UPDATE model_versions SET status = 'champion', promoted_at = now()
                WHERE model_id = $1 AND version = $2 AND status <> 'champion'
                """, [.int(Int(modelID)), .int(version)], purpose: purpose
            ).affectedRows == 1
        }
    }

    /// The champion with its artifact, if the model has one.
    package static func champion(modelID: Int64, on connection: PostgresConnection) throws -> Version? {
        let purpose = "read champion"
        let rows = try connection.query(
            "SELECT \(columns(artifact: true)) FROM model_versions WHERE model_id = $1 AND status = 'champion'",
            [.int(Int(modelID))], purpose: purpose)
        return try decode(rows, purpose).first
    }

    /// The champion's version number only (cheap; for caches).
    package static func championVersion(modelID: Int64, on connection: PostgresConnection) throws -> Int? {
        try connection.query(
            "SELECT version FROM model_versions WHERE model_id = $1 AND status = 'champion'", [.int(Int(modelID))],
            purpose: "read champion version"
        ).scalar(Int.self, purpose: "read champion version")
    }

    /// One version, with its artifact.
    package static func version(modelID: Int64, version: Int, on connection: PostgresConnection) throws -> Version? {
        let purpose = "read model version"
        let rows = try connection.query(
            "SELECT \(columns(artifact: true)) FROM model_versions WHERE model_id = $1 AND version = $2",
            [.int(Int(modelID)), .int(version)], purpose: purpose)
        return try decode(rows, purpose).first
    }

    /// The model's versions, newest first, without artifacts.
    package static func versions(modelID: Int64, limit: Int, on connection: PostgresConnection) throws -> [Version] {
        let purpose = "list model versions"
        let rows = try connection.query(
            "SELECT \(columns(artifact: false)) FROM model_versions WHERE model_id = $1 ORDER BY version DESC LIMIT $2",
            [.int(Int(modelID)), .int(limit)], purpose: purpose)
        return try decode(rows, purpose)
    }

    static func decode(_ rows: PostgresRows, _ purpose: String) throws -> [Version] {
        try (0..<rows.count).map { r in
            Version(
                modelID: try rows.value(r, 0, purpose: purpose) ?? 0,
                version: try rows.value(r, 1, purpose: purpose) ?? 0,
                status: try rows.value(r, 2, purpose: purpose) ?? "",
                source: try rows.value(r, 3, purpose: purpose) ?? "builtin",
                artifactJSON: try rows.value(r, 4, purpose: purpose),
                evaluationJSON: try rows.value(r, 5, purpose: purpose),
                trainedFrom: try rows.value(r, 6, purpose: purpose),
                trainedTo: try rows.value(r, 7, purpose: purpose),
                createdAt: try rows.value(r, 8, purpose: purpose) ?? 0,
                promotedAt: try rows.value(r, 9, purpose: purpose),
                jobID: try rows.value(r, 10, purpose: purpose),
                decision: try rows.value(r, 11, purpose: purpose))
        }
    }
}
