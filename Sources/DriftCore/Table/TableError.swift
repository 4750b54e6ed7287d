/// A problem with an input table, naming the file, line and column where it was found.
public struct TableError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem it is (stable; scripts may match on it).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let unreadable = Code(rawValue: "unreadable")
        public static let emptyFile = Code(rawValue: "empty_file")
        public static let noRows = Code(rawValue: "no_rows")
        public static let raggedRow = Code(rawValue: "ragged_row")
        public static let unterminatedQuote = Code(rawValue: "unterminated_quote")
        public static let nonNumericValue = Code(rawValue: "non_numeric_value")
        public static let duplicateColumn = Code(rawValue: "duplicate_column")
        public static let unknownColumn = Code(rawValue: "unknown_column")
        public static let invalidJSON = Code(rawValue: "invalid_json")
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
    }

    public let code: Code
    public let file: String
    /// 1-based physical line in the file where the problem is (nil when it concerns the whole file).
    public let line: Int?
    /// The column (header name) concerned, if any.
    public let column: String?
    public let message: String

    public init(_ code: Code, file: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line: column 'x': message` — the place first, as compilers print it.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ": column '\(column)'" }
        return "\(place): \(message)"
    }
}
