/// A problem with an input table, naming the file, line and column where it was found.
package struct TableError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of problem; a closed set (scripts may match on `description`, e.g. `ragged_row`).
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case unreadable
            case emptyFile = "empty_file"
            case noRows = "no_rows"
            case raggedRow = "ragged_row"
            case unterminatedQuote = "unterminated_quote"
            case nonNumericValue = "non_numeric_value"
            case duplicateColumn = "duplicate_column"
            case unknownColumn = "unknown_column"
            case invalidJSON = "invalid_json"
            case invalidUTF8 = "invalid_utf8"
            case missingColumn = "missing_column"
            case missingLabel = "missing_label"
            case lengthMismatch = "length_mismatch"
            case invalidData = "invalid_data"
            case invalidOption = "invalid_option"
            case malformedArtifact = "malformed_artifact"
            case unsupportedVersion = "unsupported_version"
            case encodingFailed = "encoding_failed"
            case numericalFailure = "numerical_failure"
            case diverged
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        package static let unreadable = Code(.unreadable)
        package static let emptyFile = Code(.emptyFile)
        package static let noRows = Code(.noRows)
        package static let raggedRow = Code(.raggedRow)
        package static let unterminatedQuote = Code(.unterminatedQuote)
        package static let nonNumericValue = Code(.nonNumericValue)
        package static let duplicateColumn = Code(.duplicateColumn)
        package static let unknownColumn = Code(.unknownColumn)
        package static let invalidJSON = Code(.invalidJSON)
        package static let invalidUTF8 = Code(.invalidUTF8)

        // The trainer's failures on a file (`TrainerCLI.tableCode(for:)` maps them, same names).
        package static let missingColumn = Code(.missingColumn)
        package static let missingLabel = Code(.missingLabel)
        package static let lengthMismatch = Code(.lengthMismatch)
        package static let invalidData = Code(.invalidData)
        package static let invalidOption = Code(.invalidOption)
        package static let malformedArtifact = Code(.malformedArtifact)
        package static let unsupportedVersion = Code(.unsupportedVersion)
        package static let encodingFailed = Code(.encodingFailed)
        package static let numericalFailure = Code(.numericalFailure)
        package static let diverged = Code(.diverged)

        /// The code as written, e.g. `ragged_row`.
        package var description: String { base.rawValue }
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
