import PostgresDriver

/// The `models` catalog (blocking calls: run them inside `PostgresPool.withConnection`).
package enum ModelStore {
    /// A registered model.
    package struct Model: Sendable, Equatable {
        package let id: Int64
        package let name: String
        package let task: String
        /// The model's schema as JSON text (features, classes, window settings).
        package let schemaJSON: String
    }

    /// Registers `name` (or updates its task and schema when it exists) and returns it.
    @discardableResult
    package static func register(
        name: String, task: String, schemaJSON: String = "{}", on connection: PostgresConnection
    )
        throws -> Model
    {
        let rows = try connection.query(
            """
            INSERT INTO models (name, task, schema) VALUES ($1, $2, $3::jsonb)
            ON CONFLICT (name) DO UPDATE SET task = EXCLUDED.task, schema = EXCLUDED.schema, updated_at = now()
            RETURNING model_id, name, task, schema::text
            """, [.string(name), .string(task), .string(schemaJSON)], purpose: "register model")
        guard let model = try decode(rows).first else {
            throw PostgresError(.decoding, purpose: "register model", message: "no row returned")
        }
        return model
    }

    /// The model named `name`, if registered.
    package static func find(name: String, on connection: PostgresConnection) throws -> Model? {
        try decode(
            connection.query(
                "SELECT model_id, name, task, schema::text FROM models WHERE name = $1", [.string(name)],
                purpose: "find model")
        ).first
    }

    /// Every registered model, by name.
    package static func list(on connection: PostgresConnection) throws -> [Model] {
        try decode(
            connection.query(
                "SELECT model_id, name, task, schema::text FROM models ORDER BY name", purpose: "list models"))
    }

    static func decode(_ rows: PostgresRows) throws -> [Model] {
        try (0..<rows.count).map { r in
            Model(
                id: try rows.value(r, 0, as: Int64.self, purpose: "read model") ?? 0,
                name: try rows.value(r, 1, as: String.self, purpose: "read model") ?? "",
                task: try rows.value(r, 2, as: String.self, purpose: "read model") ?? "",
                schemaJSON: try rows.value(r, 3, as: String.self, purpose: "read model") ?? "{}")
        }
    }
}
