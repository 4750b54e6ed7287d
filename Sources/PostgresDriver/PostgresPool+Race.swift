extension PostgresError {
    /// `true` when the statement lost a race with another session that did the same work: a unique
    /// violation (23505), a serialization failure (40001) or a deadlock (40P01). Running the step again
    /// sees the winner's result.
    package var isLostRace: Bool {
        guard code == .server, let sqlState else { return false }
        return sqlState == "23505" || sqlState == "40001" || sqlState == "40P01"
    }
}

extension PostgresPool {
    /// `withConnection` for an idempotent step that several agents may run at once (start-up writes):
    /// a run that lost a race (`PostgresError.isLostRace`) is run again after a short randomized pause,
    /// up to `attempts` runs in all; the last error is thrown.
    package nonisolated func withRaceRetry<T: Sendable>(
        purpose: String, attempts: Int = 5, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection(purpose: purpose, body)
            } catch let error as PostgresError where error.isLostRace && attempt < attempts {
                logger.info(
                    "retrying a step that lost a race with another session",
                    metadata: ["purpose": "\(purpose)", "attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...100) * attempt))
                attempt += 1
            }
        }
    }
}
