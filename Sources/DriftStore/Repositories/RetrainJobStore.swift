/// The retraining queue (`retrain_jobs`), consumed by the trainer (blocking calls: run them inside
/// `PostgresPool.withConnection`).
public enum RetrainJobStore {
    /// Queues a job for the model unless one is already queued or running; returns whether one was added.
    @discardableResult
    public static func enqueue(modelID: Int64, reason: String, on connection: PostgresConnection) throws -> Bool {
        try connection.query(
            """
            INSERT INTO retrain_jobs (model_id, reason) VALUES ($1, $2)
            ON CONFLICT (model_id) WHERE status IN ('queued', 'running') DO NOTHING
            """, [.int(Int(modelID)), .string(reason)], purpose: "queue retraining"
        ).affectedRows == 1
    }
}
