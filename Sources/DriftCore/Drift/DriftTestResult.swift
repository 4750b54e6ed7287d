/// The outcome of one method on one column.
public struct DriftTestResult: Sendable, Equatable {
    public let method: DriftMethod
    /// The test statistic (ks: D; chi_square: X²) or the distance/index value.
    public let statistic: Double
    /// The p-value for ks and chi_square; nil for distances.
    public let pValue: Double?
    /// The p-value after the multiple-testing correction, when one is applied.
    public var adjustedPValue: Double?
    /// The threshold in force (nil when the method has none).
    public let threshold: Double?
    /// The verdict.
    public var drift: Bool
    /// The method's parameters, for output: e.g. `binning`, `bins`, `base`, `form`, `p_value_method`.
    public let parameters: [(String, ParameterValue)]

    /// A parameter value: text or a number.
    public enum ParameterValue: Sendable, Equatable {
        case text(String)
        case number(Double)
        case integer(Int)
    }

    public static func == (a: DriftTestResult, b: DriftTestResult) -> Bool {
        a.method == b.method && a.statistic.bitPattern == b.statistic.bitPattern
            && a.pValue?.bitPattern == b.pValue?.bitPattern && a.threshold == b.threshold && a.drift == b.drift
            && a.adjustedPValue?.bitPattern == b.adjustedPValue?.bitPattern
            && a.parameters.map(\.0) == b.parameters.map(\.0) && a.parameters.map(\.1) == b.parameters.map(\.1)
    }
}

/// Every method's outcome on one column.
public struct ColumnDrift: Sendable, Equatable {
    public let name: String
    public let type: ColumnType
    public let referenceCount: Int
    public let currentCount: Int
    public let referenceMissing: Int
    public let currentMissing: Int
    public var tests: [DriftTestResult]
    /// Bins and shares of the binned methods (for reports).
    public let binned: BinnedComparisonSummary?

    /// A column has drifted when any of its tests says so.
    public var drift: Bool { tests.contains { $0.drift } }
}

/// The dataset-level verdict.
public struct DatasetDrift: Sendable, Equatable {
    public let columns: Int
    public let drifted: Int
    public var share: Double { columns == 0 ? 0 : Double(drifted) / Double(columns) }
    public let threshold: Double
    public var drift: Bool { columns > 0 && share >= threshold }
}

/// The reference and current shares per bin of a column, as used by PSI/JS/Hellinger.
public struct BinnedComparisonSummary: Sendable, Equatable {
    public let rule: String
    public let edges: [Double]
    public let keys: [String]
    public let referenceCounts: [Int]
    public let currentCounts: [Int]
}
