import DriftStats
import DriftTables

/// One column's values from one side (reference or current), ready for the drift methods.
package enum ColumnSample: Sendable {
    /// Finite numbers, sorted; `missing` counts NaN/empty cells, `nonFinite` the ±inf values left out.
    case numeric(SortedSample, missing: Int, nonFinite: Int)
    /// Counts per category; `missing` counts empty/NA cells.
    case categorical([String: Int], missing: Int)

    /// Builds the sample of a table column as the given type (a numeric column read as categorical
    /// uses its printed values as categories).
    package static func from(_ column: TableColumn, as type: ColumnType) -> ColumnSample {
        switch (column, type) {
        case (.numeric(let values, let missing, _), .numeric):
            let finite = values.filter { $0.isFinite }
            let nonFinite = values.count - finite.count - missing
            return .numeric(SortedSample(sorting: finite), missing: missing, nonFinite: nonFinite)
        case (_, .categorical):
            return .categorical(column.valueCounts, missing: column.missingCount)
        case (.categorical(_, _, let missing, _), .numeric):
            return .numeric(SortedSample(sorting: []), missing: missing, nonFinite: 0)
        }
    }

    /// Values taking part in the tests.
    package var count: Int {
        switch self {
        case .numeric(let s, _, _): return s.count
        case .categorical(let counts, _): return counts.values.reduce(0, +)
        }
    }

    /// Missing cells.
    package var missing: Int {
        switch self {
        case .numeric(_, let m, _), .categorical(_, let m): return m
        }
    }
}
