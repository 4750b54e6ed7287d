/// A table read from a CSV or NDJSON file, column by column.
package struct Table: Sendable {
    /// Where it came from (as given by the user), for messages.
    package let source: String
    /// Column names in file order.
    package let columnNames: [String]
    /// The columns, in the same order as `columnNames`.
    package let columns: [TableColumn]
    /// Number of data rows (the header excluded).
    package let rowCount: Int

    package init(source: String, columnNames: [String], columns: [TableColumn], rowCount: Int) {
        self.source = source
        self.columnNames = columnNames
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The column named `name`, if present.
    package func column(_ name: String) -> TableColumn? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }
}

/// One column's values. Missing cells (empty, or one of `MissingValues.tokens`) are NaN in numeric
/// columns and code -1 in categorical ones, and are counted.
package enum TableColumn: Sendable {
    /// Numbers; NaN marks a missing cell. `firstMissingLine` helps the user find them.
    case numeric(values: [Double], missing: Int, firstMissingLine: Int?)
    /// Dictionary-encoded strings: `codes[i]` indexes `categories`, -1 marks a missing cell.
    case categorical(codes: [Int32], categories: [String], missing: Int, firstMissingLine: Int?)

    /// Number of missing cells.
    package var missingCount: Int {
        switch self {
        case .numeric(_, let missing, _), .categorical(_, _, let missing, _): return missing
        }
    }

    /// Line of the first missing cell, if any.
    package var firstMissingLine: Int? {
        switch self {
        case .numeric(_, _, let line), .categorical(_, _, _, let line): return line
        }
    }

    /// `true` for numeric columns.
    package var isNumeric: Bool {
        if case .numeric = self { return true }
        return false
    }

    /// The cells as strings (numbers printed shortest round-trip; missing cells as nil), for label columns.
    package var strings: [String?] {
        switch self {
        case .numeric(let values, _, _):
            return values.map { $0.isNaN ? nil : NumberFormatting.label($0) }
        case .categorical(let codes, let categories, _, _):
            return codes.map { $0 < 0 ? nil : categories[Int($0)] }
        }
    }

    /// Counts per category (categorical) or per printed value (numeric), missing cells excluded.
    package var valueCounts: [String: Int] {
        switch self {
        case .categorical(let codes, let categories, _, _):
            var perCode = [Int](repeating: 0, count: categories.count)
            for c in codes where c >= 0 { perCode[Int(c)] += 1 }
            var counts = [String: Int](minimumCapacity: categories.count)
            for (i, n) in perCode.enumerated() where n > 0 { counts[categories[i], default: 0] += n }
            return counts
        case .numeric(let values, _, _):
            var counts = [String: Int]()
            for v in values where !v.isNaN { counts[NumberFormatting.label(v), default: 0] += 1 }
            return counts
        }
    }
}

/// How numbers become labels and keys.
package enum NumberFormatting {
    /// A number as a class label: integral values without a fraction ("1", not "1.0"), others shortest
    /// round-trip. So a numeric label column holding 1 and 1.0 yields one class "1".
    package static func label(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }
}

/// The cell texts read as missing values: the empty cell and pandas' default NA strings.
package enum MissingValues {
    /// pandas 2's default `na_values` plus the empty string.
    package static let tokens: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// Byte forms of `tokens`, for the parser's hot path.
    static let byteTokens: [[UInt8]] = tokens.map { Array($0.utf8) }

    /// `true` when `bytes` is one of `tokens` (no allocation).
    static func isMissing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return true }
        if bytes.count > 8 { return false }
        switch bytes[0] {
        case UInt8(ascii: "#"), UInt8(ascii: "-"), UInt8(ascii: "1"), UInt8(ascii: "<"), UInt8(ascii: "N"),
            UInt8(ascii: "n"):
            for token in byteTokens where token.count == bytes.count {
                if token.withUnsafeBufferPointer({ t in (0..<t.count).allSatisfy { t[$0] == bytes[$0] } }) {
                    return true
                }
            }
            return false
        default:
            return false
        }
    }
}
