import DriftConfig
import DriftCore
import DriftTables

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
