/// Whether a column holds numbers or categories.
package enum ColumnType: String, Sendable, Codable, CaseIterable {
    case numeric
    case categorical
}

/// What to read from a table file.
package struct TableReadOptions: Sendable {
    /// Columns forced to be categorical.
    package var categorical: Set<String> = []
    /// Column types decided elsewhere (e.g. by the reference file); they win over inference.
    package var types: [String: ColumnType] = [:]
    /// Only these columns are parsed (nil: all). Unlisted columns are still counted for raggedness.
    package var columns: Set<String>? = nil
    /// How many non-missing values per column decide its type: numeric iff they all parse as numbers.
    package var typeSniffValues = 100
    /// Parse with this many threads at most (1 disables parallel parsing).
    package var maxThreads = 0
    /// Read plain rows on the single-pass fast path (`PlainRowParser`); off only to check it against the
    /// general path.
    var plainRowFastPath = true

    package init() {}
}
