import DriftStats
import DriftTables

/// A drift test or distance, and how its verdict is read.
package enum DriftMethod: String, Sendable, Codable, CaseIterable {
    case ks
    case psi
    case chiSquare = "chi_square"
    case jensenShannon = "jensen_shannon"
    case wasserstein
    case wassersteinNormed = "wasserstein_normed"
    case hellinger

    /// Whether the method applies to a column of this type.
    package func applies(to type: ColumnType) -> Bool {
        switch self {
        case .ks, .wasserstein, .wassersteinNormed: return type == .numeric
        case .chiSquare: return type == .categorical
        case .psi, .jensenShannon, .hellinger: return true
        }
    }

    /// Whether the method compares binned distributions (PSI, Jensen–Shannon, Hellinger).
    package var isBinned: Bool { self == .psi || self == .jensenShannon || self == .hellinger }

    /// `true` when the verdict reads a p-value (drift iff p < threshold); otherwise drift iff statistic >= threshold.
    package var usesPValue: Bool { self == .ks || self == .chiSquare }

    /// The default threshold, or nil when the method has none (plain Wasserstein is in the data's units).
    /// ks, chi_square: α = 0.05 on the p-value; psi, jensen_shannon, wasserstein_normed, hellinger: 0.1
    /// (Evidently's defaults; Jensen–Shannon in the units of the chosen base).
    package var defaultThreshold: Double? {
        switch self {
        case .ks, .chiSquare: return 0.05
        case .psi, .jensenShannon, .wassersteinNormed, .hellinger: return 0.1
        case .wasserstein: return nil
        }
    }

    /// Methods run when none are named: ks + psi on numeric columns, chi_square + psi on categorical ones.
    package static func defaults(for type: ColumnType) -> [DriftMethod] {
        type == .numeric ? [.ks, .psi] : [.chiSquare, .psi]
    }
}

/// Multiple-testing correction applied to p-value methods across columns.
package enum PValueCorrectionMethod: String, Sendable, Codable, CaseIterable {
    case none
    case bonferroni
    /// Benjamini–Hochberg false discovery rate.
    case bh
}

/// The two forms of the chi-square test for categorical columns.
package enum ChiSquareForm: String, Sendable, Codable, CaseIterable {
    /// `scipy.stats.chi2_contingency` on the 2×K table (Yates' correction when K = 2).
    case contingency
    /// Evidently's goodness of fit: expected = reference shares × current count.
    case evidently
}
