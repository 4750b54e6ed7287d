/// How bad an alert is (Alertmanager's and PagerDuty's vocabulary).
public enum AlertSeverity: String, Sendable, Equatable, CaseIterable {
    case critical
    case warning
    case info
}

/// How a rule compares a figure with its bound.
public enum AlertComparison: String, Sendable, Equatable, CaseIterable {
    case above = ">"
    case atLeast = ">="
    case below = "<"
    case atMost = "<="

    /// Whether `value` breaks the bound `threshold`.
    public func breaks(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .above: return value > threshold
        case .atLeast: return value >= threshold
        case .below: return value < threshold
        case .atMost: return value <= threshold
        }
    }
}

/// A threshold rule on a stored window figure (`window_metrics`), e.g. `psi > 0.2` per feature,
/// `f1 < 0.8` when enough labels arrived, `latency_p95 > 250`, or `volume_ratio < 0.5` (the window's volume
/// over the mean of the previous `baselineWindows` windows).
///
/// A rule whose `feature` (or `method`, `classLabel`) is nil matches every value of it, and each match is
/// an alert of its own (its labels carry the feature, method and class), so "psi > 0.2 on any feature"
/// fires once per drifting feature.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    /// The figure (`drift_statistic`, `p_value`, `drifted_feature_ratio`, `f1`, `latency_p95`,
    /// `missing_rate`, `volume`, …) or `volume_ratio`.
    public var metric: String
    public var feature: String?
    public var method: String?
    public var classLabel: String?
    public var comparison: AlertComparison
    public var threshold: Double
    /// Consecutive breaking windows before the alert fires (1: at the first).
    public var forWindows = 1
    /// Consecutive clear windows a firing alert waits before it resolves (0: at the first).
    public var keepFiringFor = 0
    public var severity: AlertSeverity = .warning
    public var labels: [String: String] = [:]
    /// `summary` and `description` templates: `{{model}}`, `{{rule}}`, `{{feature}}`, `{{method}}`,
    /// `{{class}}`, `{{value}}`, `{{threshold}}`, `{{window_start}}`, `{{window_end}}` are filled in.
    public var annotations: [String: String] = [:]
    /// Receiver names (empty: every receiver).
    public var receivers: [String] = []
    /// Whether firing enqueues a retraining job (the trainer issue).
    public var retrain = false
    /// Realized-performance rules are judged only when the window's label coverage is at least this.
    public var minLabelCoverage: Double?
    /// `volume_ratio`: how many previous windows make the baseline.
    public var baselineWindows = 3
    /// For `p_value` rules across features: adjust the window's p-values first.
    public var correction: PValueCorrectionMethod = .none

    public init(name: String, metric: String, comparison: AlertComparison, threshold: Double) {
        self.name = name
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
    }

    /// Figures that are realized performance (guarded by label coverage).
    public static let performanceMetrics: Set<String> = [
        "accuracy", "precision", "recall", "f1", "mae", "rmse", "r2",
    ]
}
