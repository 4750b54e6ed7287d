import DriftConfig
import DriftCore
import DriftTables
import DriftTrainer
import PostgresDriver

/// How the domain's errors become client errors: every route maps them here, so one kind of input
/// problem gets one code and one shape of message wherever it occurs.
extension APIError {
    /// A request body (or a `field` of it) that is not JSON (`invalid_json`).
    static func notJSON(_ error: any Error, what: String = "the body", field: String? = nil) -> APIError {
        APIError(.badRequest, code: .invalidJSON, message: "\(what) is not valid JSON: \(error)", field: field)
    }

    /// An event (or CloudEvent) that does not fit the model, naming its field.
    static func invalid(_ problem: EventProblem, code: Code) -> APIError {
        APIError(.badRequest, code: code, message: problem.message, field: problem.field)
    }

    /// An event that does not fit the model, naming `field` (the problem's field within a batch, e.g.
    /// `instances[2].features.age`).
    static func invalid(_ problem: EventProblem, code: Code, field: String?) -> APIError {
        APIError(.badRequest, code: code, message: problem.message, field: field)
    }

    /// The champion could not predict the events (`prediction_failed`).
    static func predictionFailed(_ error: any Error) -> APIError {
        APIError(.badRequest, code: .predictionFailed, message: "\(error)")
    }

    /// A body that is not a model artifact (`invalid_artifact`).
    static func notAnArtifact(_ error: TrainerError) -> APIError {
        APIError(.badRequest, code: .invalidArtifact, message: "the body is not a model artifact: \(error)")
    }

    /// Settings inferred from an event that do not make a model (`invalid_model`).
    static func cannotRegister(_ name: String, _ error: ConfigurationError) -> APIError {
        APIError(.badRequest, code: .invalidModel, message: "cannot register '\(name)': \(error)")
    }

    /// Every connection busy and the pool's queue full: 503 `overloaded`, retry after a second (nil for
    /// any other database error).
    static func overloaded(_ error: PostgresError) -> APIError? {
        guard error.code == .overloaded else { return nil }
        return APIError(
            .serviceUnavailable, code: .overloaded,
            message:
                "the agent is writing as fast as the database takes it; retry (nothing of this request was stored unless the reply said so)",
            headers: [.retryAfter: "1"])
    }

    /// A database that is away (a transient failure): 503 `database_unavailable`, retry after a second (nil
    /// for any other database error).
    static func databaseUnavailable(_ error: PostgresError) -> APIError? {
        guard error.isTransient else { return nil }
        return APIError(
            .serviceUnavailable, code: .databaseUnavailable,
            message: "the database is unavailable; nothing of this request was stored unless the reply said so",
            headers: [.retryAfter: "1"])
    }

    /// A reference table that cannot be read, naming its line and column (`invalid_reference`).
    static func invalidReference(_ error: TableError) -> APIError {
        APIError(.badRequest, code: .invalidReference, message: error.message, line: error.line, field: error.column)
    }

    /// A model definition with problems, naming the first one's line and key (`invalid_model`).
    static func invalidModel(_ error: ConfigurationError) -> APIError {
        let first = error.problems.first
        return APIError(
            .badRequest, code: .invalidModel, message: error.problems.map(\.description).joined(separator: "; "),
            line: first?.line, field: first?.path)
    }
}

extension EventProblem {
    /// One line of a batch the database refused (a data exception or a constraint), with its SQLSTATE.
    static func refused(by error: PostgresError) -> EventProblem {
        EventProblem(
            .refused, field: nil, "the database refused this line\(error.sqlState.map { " (SQLSTATE \($0))" } ?? "")")
    }
}
