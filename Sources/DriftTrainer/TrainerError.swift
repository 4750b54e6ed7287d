/// Why training, prediction, evaluation or an artifact failed. Errors are values: every problem reachable
/// from input (a bad table, a bad option, a bad artifact) is reported with one of these, never a crash.
package struct TrainerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The kind of failure; a closed set (scripts may match on `description`, e.g. `missing_column`).
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case lengthMismatch = "length_mismatch"
            case invalidOption = "invalid_option"
            case invalidData = "invalid_data"
            case missingColumn = "missing_column"
            case missingLabel = "missing_label"
            case duplicateColumn = "duplicate_column"
            case malformedArtifact = "malformed_artifact"
            case unsupportedVersion = "unsupported_version"
            case encodingFailed = "encoding_failed"
            case numericalFailure = "numerical_failure"
            case diverged
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Two columns or a column and the target have different lengths.
        package static let lengthMismatch = Code(.lengthMismatch)
        /// An option or hyperparameter out of range.
        package static let invalidOption = Code(.invalidOption)
        /// The data cannot be used for the requested training.
        package static let invalidData = Code(.invalidData)
        /// A column the model needs is not in the data.
        package static let missingColumn = Code(.missingColumn)
        /// The target (label) is missing or has missing values.
        package static let missingLabel = Code(.missingLabel)
        /// A column is given twice.
        package static let duplicateColumn = Code(.duplicateColumn)
        /// An artifact that is not a model artifact.
        package static let malformedArtifact = Code(.malformedArtifact)
        /// An artifact of a format version this build does not read.
        package static let unsupportedVersion = Code(.unsupportedVersion)
        /// The model could not be written.
        package static let encodingFailed = Code(.encodingFailed)
        /// A linear system could not be solved.
        package static let numericalFailure = Code(.numericalFailure)
        /// Training diverged (the loss is not finite).
        package static let diverged = Code(.diverged)

        /// The code as written, e.g. `missing_column`.
        package var description: String { base.rawValue }
    }

    /// What kind of problem it is.
    package let code: Code
    /// What failed and why, in words (no data values beyond names and counts).
    package let message: String
    /// The column (feature or label) concerned, if any.
    package let column: String?
    /// The 1-based physical line of the input file concerned, when the problem came from a table and is known.
    package let line: Int?
    /// The error that caused this one, if any (not compared by `==`).
    package let underlying: (any Error)?

    /// An error with `code` and `message`, optionally naming a column and a line, and the error that caused it.
    package init(
        code: Code, message: String, column: String? = nil, line: Int? = nil, underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.column = column
        self.line = line
        self.underlying = underlying
    }

    /// `column 'x': message` (the column part only when there is one).
    package var description: String {
        if let column { return "column '\(column)': \(message)" }
        return message
    }

    /// Same code, message, column and line (the underlying error is not compared).
    package static func == (lhs: TrainerError, rhs: TrainerError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.column == rhs.column && lhs.line == rhs.line
    }
}

extension TrainerError {
    /// Two columns or a column and the target have different lengths.
    static func lengthMismatch(column: String, expected: Int, actual: Int) -> TrainerError {
        TrainerError(
            code: .lengthMismatch, message: "has \(actual) values but the set has \(expected) rows", column: column)
    }

    /// An option or hyperparameter out of range.
    static func invalidOption(_ message: String) -> TrainerError {
        TrainerError(code: .invalidOption, message: message)
    }

    /// The data cannot be used for the requested training.
    static func invalidData(_ message: String, column: String? = nil) -> TrainerError {
        TrainerError(code: .invalidData, message: message, column: column)
    }

    /// A column the model needs is not in the data.
    static func missingColumn(_ name: String, _ message: String) -> TrainerError {
        TrainerError(code: .missingColumn, message: message, column: name)
    }

    /// A malformed artifact.
    static func malformedArtifact(_ message: String) -> TrainerError {
        TrainerError(code: .malformedArtifact, message: "malformed model artifact: " + message)
    }
}
