/// Why training, prediction, evaluation or an artifact failed. Errors are values: every problem reachable
/// from input (a bad table, a bad option, a bad artifact) is reported with one of these, never a crash.
package struct TrainerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The kind of failure; a closed set (scripts may match on `description`, e.g. `missing_column`).
    /// `length_mismatch`: two columns or a column and the target have different lengths; `invalid_option`: an option
    /// or hyperparameter out of range; `invalid_data`: the data cannot be used for the requested training;
    /// `missing_column`: a column the model needs is not in the data; `missing_label`: the target (label) is missing
    /// or has missing values; `duplicate_column`: a column is given twice; `malformed_artifact`: an artifact that is
    /// not a model artifact; `unsupported_version`: an artifact of a format version this build does not read;
    /// `encoding_failed`: the model could not be written; `numerical_failure`: a linear system could not be solved;
    /// `diverged`: training diverged (the loss is not finite).
    package enum Code: String, Sendable, CustomStringConvertible {
        case lengthMismatch = "length_mismatch", invalidOption = "invalid_option", invalidData = "invalid_data"
        case missingColumn = "missing_column", missingLabel = "missing_label", duplicateColumn = "duplicate_column"
        case malformedArtifact = "malformed_artifact", unsupportedVersion = "unsupported_version"
        case encodingFailed = "encoding_failed", numericalFailure = "numerical_failure", diverged
        package var description: String { rawValue }
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
