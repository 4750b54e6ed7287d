import DriftStats

/// A file's columns as the reader produced them, numeric ones still in the runs the parsing threads
/// filled: `driftwatch drift` compares them there, without first copying each column into one array
/// (on 1M × 25 rows that copy, and the fresh pages it needs cleared, cost a tenth of the run). `table()`
/// gives the ordinary `Table`.
public struct ReadColumns: Sendable {
    /// One column.
    public enum Column: Sendable {
        /// Numbers in runs; NaN marks a missing cell.
        case numeric(DoubleRuns, missing: Int, firstMissingLine: Int?)
        /// A categorical column, complete.
        case categorical(TableColumn)

        /// Number of missing cells.
        public var missingCount: Int {
            switch self {
            case .numeric(_, let missing, _): return missing
            case .categorical(let column): return column.missingCount
            }
        }

        /// Line of the first missing cell, if any.
        public var firstMissingLine: Int? {
            switch self {
            case .numeric(_, _, let line): return line
            case .categorical(let column): return column.firstMissingLine
            }
        }

        /// `true` for numeric columns.
        public var isNumeric: Bool {
            if case .numeric = self { return true }
            return false
        }

        /// The column as a `TableColumn` (numeric runs copied into one array).
        public var tableColumn: TableColumn {
            switch self {
            case .numeric(let runs, let missing, let line):
                return .numeric(values: ColumnAssembler.concatenate(runs), missing: missing, firstMissingLine: line)
            case .categorical(let column): return column
            }
        }
    }

    /// Where it came from, for messages.
    public let source: String
    /// Column names in file order.
    public let columnNames: [String]
    /// The columns, in the order of `columnNames`.
    public let columns: [Column]
    /// Number of data rows.
    public let rowCount: Int

    public init(source: String, columnNames: [String], columns: [Column], rowCount: Int) {
        self.source = source
        self.columnNames = columnNames
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The columns of a table (numeric arrays as single runs, not copied).
    public init(_ table: Table) {
        self.init(
            source: table.source, columnNames: table.columnNames,
            columns: table.columns.map { column in
                switch column {
                case .numeric(let values, let missing, let line):
                    return .numeric(DoubleRuns(values), missing: missing, firstMissingLine: line)
                case .categorical: return .categorical(column)
                }
            }, rowCount: table.rowCount)
    }

    /// The column named `name`, if present.
    public func column(_ name: String) -> Column? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }

    /// The ordinary table (each numeric column copied into one array).
    public func table() -> Table {
        Table(source: source, columnNames: columnNames, columns: columns.map(\.tableColumn), rowCount: rowCount)
    }
}
