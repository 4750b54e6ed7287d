/// How bad an alert is (Alertmanager's and PagerDuty's vocabulary).
package enum AlertSeverity: String, Sendable, Equatable, CaseIterable {
    case critical
    case warning
    case info
}

/// How a rule compares a figure with its bound.
package enum AlertComparison: String, Sendable, Equatable, CaseIterable {
    case above = ">"
    case atLeast = ">="
    case below = "<"
    case atMost = "<="

    /// Whether `value` breaks the bound `threshold`.
    package func breaks(_ value: Double, _ threshold: Double) -> Bool {
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
package struct AlertRule: Sendable, Equatable {
    package var name: String
    /// The figure (`drift_statistic`, `p_value`, `drifted_feature_ratio`, `f1`, `latency_p95`,
    /// `missing_rate`, `volume`, …) or `volume_ratio`.
    package var metric: WindowMetric
    package var feature: String?
    package var method: String?
    package var classLabel: String?
    package var comparison: AlertComparison
    package var threshold: Double
    /// Consecutive breaking windows before the alert fires (1: at the first).
    package var forWindows = 1
    /// Consecutive clear windows a firing alert waits before it resolves (0: at the first).
    package var keepFiringFor = 0
    package var severity: AlertSeverity = .warning
    package var labels: [String: String] = [:]
    /// `summary` and `description` templates: `{{model}}`, `{{rule}}`, `{{feature}}`, `{{method}}`,
    /// `{{class}}`, `{{value}}`, `{{threshold}}`, `{{window_start}}`, `{{window_end}}` are filled in.
    package var annotations: [String: String] = [:]
    /// Receiver names (empty: every receiver).
    package var receivers: [String] = []
    /// Whether firing enqueues a retraining job (the trainer issue).
    package var retrain = false
    /// Realized-performance rules are judged only when the window's label coverage is at least this.
    package var minLabelCoverage: Double?
    /// `volume_ratio`: how many previous windows make the baseline.
    package var baselineWindows = 3
    /// For `p_value` rules across features: adjust the window's p-values first.
    package var correction: PValueCorrectionMethod = .none

    package init(name: String, metric: WindowMetric, comparison: AlertComparison, threshold: Double) {
        self.name = name
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
    }

}
