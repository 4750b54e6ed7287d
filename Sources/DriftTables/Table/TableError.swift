/// A problem with an input table, naming the file, line and column where it was found.
package struct TableError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of problem; a closed set (scripts may match on `description`, e.g. `ragged_row`).
    package enum Code: String, Sendable, CustomStringConvertible {
        case unreadable, emptyFile = "empty_file", noRows = "no_rows", raggedRow = "ragged_row"
        case unterminatedQuote = "unterminated_quote", nonNumericValue = "non_numeric_value"
        case duplicateColumn = "duplicate_column", unknownColumn = "unknown_column", invalidJSON = "invalid_json"
        case invalidUTF8 = "invalid_utf8", missingColumn = "missing_column", missingLabel = "missing_label"
        case lengthMismatch = "length_mismatch", invalidData = "invalid_data", invalidOption = "invalid_option"
        case malformedArtifact = "malformed_artifact", unsupportedVersion = "unsupported_version"
        case encodingFailed = "encoding_failed", numericalFailure = "numerical_failure", diverged
        package var description: String { rawValue }
    }

    package let code: Code
    package let file: String
    /// 1-based physical line in the file where the problem is (nil when it concerns the whole file).
    package let line: Int?
    /// The column (header name) concerned, if any.
    package let column: String?
    package let message: String

    package init(_ code: Code, file: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line: column 'x': message` — the place first, as compilers print it.
    package var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ": column '\(column)'" }
        return "\(place): \(message)"
    }
}
