/// A problem with an input table, naming the file, line and column where it was found.
package struct TableError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem it is (stable; scripts may match on it).
    package struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package var description: String { rawValue }

        package static let unreadable = Code(rawValue: "unreadable")
        package static let emptyFile = Code(rawValue: "empty_file")
        package static let noRows = Code(rawValue: "no_rows")
        package static let raggedRow = Code(rawValue: "ragged_row")
        package static let unterminatedQuote = Code(rawValue: "unterminated_quote")
        package static let nonNumericValue = Code(rawValue: "non_numeric_value")
        package static let duplicateColumn = Code(rawValue: "duplicate_column")
        package static let unknownColumn = Code(rawValue: "unknown_column")
        package static let invalidJSON = Code(rawValue: "invalid_json")
        package static let invalidUTF8 = Code(rawValue: "invalid_utf8")
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
