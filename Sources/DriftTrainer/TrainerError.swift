/// Why training, prediction, evaluation or an artifact failed. Errors are values: every problem reachable
/// from input (a bad table, a bad option, a bad artifact) is reported with one of these, never a crash.
package struct TrainerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of problem it is (stable; scripts may match on it), e.g. `missing_column`.
    package let code: String
    /// What failed and why, in words (no data values beyond names and counts).
    package let message: String
    /// The column (feature or label) concerned, if any.
    package let column: String?
    /// The 1-based physical line of the input file concerned, when the problem came from a table and is known.
    package let line: Int?

    /// An error with `code` and `message`, optionally naming a column and a line.
    package init(code: String, message: String, column: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.column = column
        self.line = line
    }

    /// `column 'x': message` (the column part only when there is one).
    package var description: String {
        if let column { return "column '\(column)': \(message)" }
        return message
    }
}

extension TrainerError {
    /// Two columns or a column and the target have different lengths.
    static func lengthMismatch(column: String, expected: Int, actual: Int) -> TrainerError {
        TrainerError(
            code: "length_mismatch", message: "has \(actual) values but the set has \(expected) rows", column: column)
    }

    /// An option or hyperparameter out of range.
    static func invalidOption(_ message: String) -> TrainerError {
        TrainerError(code: "invalid_option", message: message)
    }

    /// The data cannot be used for the requested training.
    static func invalidData(_ message: String, column: String? = nil) -> TrainerError {
        TrainerError(code: "invalid_data", message: message, column: column)
    }

    /// A column the model needs is not in the data.
    static func missingColumn(_ name: String, _ message: String) -> TrainerError {
        TrainerError(code: "missing_column", message: message, column: name)
    }

    /// A malformed artifact.
    static func malformedArtifact(_ message: String) -> TrainerError {
        TrainerError(code: "malformed_artifact", message: "malformed model artifact: " + message)
    }
}
