/// Whether a column holds numbers or categories.
public enum ColumnType: String, Sendable, Codable, CaseIterable {
    case numeric
    case categorical
}

/// What to read from a table file.
public struct TableReadOptions: Sendable {
    /// Columns forced to be categorical.
    public var categorical: Set<String> = []
    /// Column types decided elsewhere (e.g. by the reference file); they win over inference.
    public var types: [String: ColumnType] = [:]
    /// Only these columns are parsed (nil: all). Unlisted columns are still counted for raggedness.
    public var columns: Set<String>? = nil
    /// How many non-missing values per column decide its type: numeric iff they all parse as numbers.
    public var typeSniffValues = 100
    /// Parse with this many threads at most (1 disables parallel parsing).
    public var maxThreads = 0
    /// Read plain rows on the single-pass fast path (`PlainRowParser`); off only to check it against the
    /// general path.
    var plainRowFastPath = true

    public init() {}
}
