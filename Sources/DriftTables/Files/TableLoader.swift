/// Loads a CSV or NDJSON table, chosen by the file's extension (`.csv`, `.ndjson`, `.jsonl`, `.json`,
/// each optionally followed by `.gz`).
package enum TableLoader {
    package static func isNDJSON(_ path: String) -> Bool {
        var p = path.lowercased()
        if p.hasSuffix(".gz") { p.removeLast(3) }
        return p.hasSuffix(".ndjson") || p.hasSuffix(".jsonl") || p.hasSuffix(".json")
    }

    package static func load(_ path: String, options: TableReadOptions) throws -> Table {
        try FileBytes.withContents(path) { bytes in
            if isNDJSON(path) { return try NDJSONReader.read(bytes: Array(bytes), source: path, options: options) }
            return try CSVReader.read(bytes, source: path, options: options)
        }
    }

    /// `load`, with a CSV file's numeric columns left in the runs they were parsed into (`ReadColumns`).
    package static func loadColumns(_ path: String, options: TableReadOptions) throws -> ReadColumns {
        try FileBytes.withContents(path) { bytes in
            if isNDJSON(path) {
                return ReadColumns(try NDJSONReader.read(bytes: Array(bytes), source: path, options: options))
            }
            return try CSVReader.readColumns(bytes, source: path, options: options)
        }
    }
}
