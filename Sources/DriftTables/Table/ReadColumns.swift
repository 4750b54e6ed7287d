import DriftStats

/// A file's columns as the reader produced them, numeric ones still in the runs the parsing threads
/// filled: `driftwatch drift` compares them there, without first copying each column into one array
/// (on 1M × 25 rows that copy, and the fresh pages it needs cleared, cost a tenth of the run). `table()`
/// gives the ordinary `Table`.
package struct ReadColumns: Sendable {
    /// One column.
    package enum Column: Sendable {
        /// Numbers in runs; NaN marks a missing cell.
        case numeric(DoubleRuns, missing: Int, firstMissingLine: Int?)
        /// A categorical column, complete.
        case categorical(TableColumn)

        /// Number of missing cells.
        package var missingCount: Int {
            switch self {
            case .numeric(_, let missing, _): return missing
            case .categorical(let column): return column.missingCount
            }
        }

        /// Line of the first missing cell, if any.
        package var firstMissingLine: Int? {
            switch self {
            case .numeric(_, _, let line): return line
            case .categorical(let column): return column.firstMissingLine
            }
        }

        /// `true` for numeric columns.
        package var isNumeric: Bool {
            if case .numeric = self { return true }
            return false
        }

        /// The column as a `TableColumn` (numeric runs copied into one array).
        package var tableColumn: TableColumn {
            switch self {
            case .numeric(let runs, let missing, let line):
                return .numeric(values: ColumnAssembler.concatenate(runs), missing: missing, firstMissingLine: line)
            case .categorical(let column): return column
            }
        }
    }

    /// Where it came from, for messages.
    package let source: String
    /// Column names in file order.
    package let columnNames: [String]
    /// The columns, in the order of `columnNames`.
    package let columns: [Column]
    /// Number of data rows.
    package let rowCount: Int

    package init(source: String, columnNames: [String], columns: [Column], rowCount: Int) {
        self.source = source
        self.columnNames = columnNames
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The columns of a table (numeric arrays as single runs, not copied).
    package init(_ table: Table) {
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
    package func column(_ name: String) -> Column? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }

    /// The ordinary table (each numeric column copied into one array).
    package func table() -> Table {
        Table(source: source, columnNames: columnNames, columns: columns.map(\.tableColumn), rowCount: rowCount)
    }
}
