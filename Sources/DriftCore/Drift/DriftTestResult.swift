import DriftTables

/// The outcome of one method on one column.
package struct DriftTestResult: Sendable, Equatable {
    package let method: DriftMethod
    /// The test statistic (ks: D; chi_square: X²) or the distance/index value.
    package let statistic: Double
    /// The p-value for ks and chi_square; nil for distances.
    package let pValue: Double?
    /// The p-value after the multiple-testing correction, when one is applied.
    package var adjustedPValue: Double?
    /// The threshold in force (nil when the method has none).
    package let threshold: Double?
    /// The verdict.
    package var drift: Bool
    /// The method's parameters, for output: e.g. `binning`, `bins`, `base`, `form`, `p_value_method`.
    package let parameters: [(String, ParameterValue)]

    /// A parameter value: text or a number.
    package enum ParameterValue: Sendable, Equatable {
        case text(String)
        case number(Double)
        case integer(Int)
    }

    package static func == (a: DriftTestResult, b: DriftTestResult) -> Bool {
        a.method == b.method && a.statistic.bitPattern == b.statistic.bitPattern
            && a.pValue?.bitPattern == b.pValue?.bitPattern && a.threshold == b.threshold && a.drift == b.drift
            && a.adjustedPValue?.bitPattern == b.adjustedPValue?.bitPattern
            && a.parameters.map(\.0) == b.parameters.map(\.0) && a.parameters.map(\.1) == b.parameters.map(\.1)
    }
}

/// Every method's outcome on one column.
package struct ColumnDrift: Sendable, Equatable {
    package let name: String
    package let type: ColumnType
    package let referenceCount: Int
    package let currentCount: Int
    package let referenceMissing: Int
    package let currentMissing: Int
    package var tests: [DriftTestResult]
    /// Bins and shares of the binned methods (for reports).
    package let binned: BinnedComparisonSummary?

    /// A column has drifted when any of its tests says so.
    package var drift: Bool { tests.contains { $0.drift } }
}

/// The dataset-level verdict.
package struct DatasetDrift: Sendable, Equatable {
    package let columns: Int
    package let drifted: Int
    package var share: Double { columns == 0 ? 0 : Double(drifted) / Double(columns) }
    package let threshold: Double
    package var drift: Bool { columns > 0 && share >= threshold }
}

/// The reference and current shares per bin of a column, as used by PSI/JS/Hellinger.
package struct BinnedComparisonSummary: Sendable, Equatable {
    package let rule: String
    package let edges: [Double]
    package let keys: [String]
    package let referenceCounts: [Int]
    package let currentCounts: [Int]
}
