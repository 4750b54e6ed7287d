/// The name of a window figure: what `window_metrics.metric` stores, alert rules watch, `/metrics`
/// exports and reports draw. The constants are every name the agent writes; a stored name it does not know
/// (a newer agent's) is kept as read. The agent's code names figures by these constants; a string literal
/// converts too, for tests and fixtures that spell stored rows.
package struct WindowMetric: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }
    package var description: String { rawValue }
    package static func < (a: WindowMetric, b: WindowMetric) -> Bool { a.rawValue < b.rawValue }

    /// Events in the window.
    package static let volume = WindowMetric(rawValue: "volume")
    /// The window's volume over the mean of the previous windows (computed by the rule, never stored).
    package static let volumeRatio = WindowMetric(rawValue: "volume_ratio")
    package static let latencyP50 = WindowMetric(rawValue: "latency_p50")
    package static let latencyP90 = WindowMetric(rawValue: "latency_p90")
    package static let latencyP95 = WindowMetric(rawValue: "latency_p95")
    package static let latencyP99 = WindowMetric(rawValue: "latency_p99")
    package static let latencyMax = WindowMetric(rawValue: "latency_max")
    /// Share of a feature's values that are missing.
    package static let missingRate = WindowMetric(rawValue: "missing_rate")
    /// A drift test's statistic, per feature and method.
    package static let driftStatistic = WindowMetric(rawValue: "drift_statistic")
    /// A drift test's p-value (adjusted when a correction is configured), per feature and method.
    package static let pValue = WindowMetric(rawValue: "p_value")
    package static let driftedFeatures = WindowMetric(rawValue: "drifted_features")
    package static let driftedFeatureRatio = WindowMetric(rawValue: "drifted_feature_ratio")
    package static let accuracy = WindowMetric(rawValue: "accuracy")
    package static let precision = WindowMetric(rawValue: "precision")
    package static let recall = WindowMetric(rawValue: "recall")
    package static let f1 = WindowMetric(rawValue: "f1")
    package static let mae = WindowMetric(rawValue: "mae")
    package static let rmse = WindowMetric(rawValue: "rmse")
    package static let r2 = WindowMetric(rawValue: "r2")
    /// A binary classifier's ROC AUC over its labelled predictions' scores, counted on a 10,000-bin grid.
    package static let rocAUC = WindowMetric(rawValue: "roc_auc")
    /// How far `roc_auc` can be from the exact value: half the share of positive/negative pairs in one bin.
    package static let rocAUCBound = WindowMetric(rawValue: "roc_auc_bound")
    /// A binary classifier's log loss over its labelled predictions' scores (scikit-learn's clipping).
    package static let logLoss = WindowMetric(rawValue: "log_loss")
    /// Share of the window's predictions that received a label.
    package static let labelCoverage = WindowMetric(rawValue: "label_coverage")
    /// Labelled predictions in the window.
    package static let labelled = WindowMetric(rawValue: "labelled")
    /// Events that arrived after their window closed.
    package static let lateEvents = WindowMetric(rawValue: "late_events")
    /// The figure a window whose figures could not be computed is closed with (value 1; the log says why).
    package static let windowError = WindowMetric(rawValue: "window_error")

    /// The latency quantiles a window stores, with their probabilities.
    package static let latencyQuantiles: [(WindowMetric, Double)] = [
        (.latencyP50, 0.5), (.latencyP90, 0.9), (.latencyP95, 0.95), (.latencyP99, 0.99),
    ]
    /// Realized performance figures (a rule on them is guarded by label coverage).
    package static let performance: Set<WindowMetric> = [
        .accuracy, .precision, .recall, .f1, .mae, .rmse, .r2, .rocAUC, .logLoss,
    ]
    /// Performance figures stored per class and as macro/weighted averages.
    package static let perClass: Set<WindowMetric> = [.precision, .recall, .f1]
    /// Figures an alert rule can watch.
    package static let watchable: Set<WindowMetric> = [
        .volume, .volumeRatio, .latencyP50, .latencyP90, .latencyP95, .latencyP99, .latencyMax, .missingRate,
        .driftStatistic, .pValue, .driftedFeatures, .driftedFeatureRatio, .accuracy, .precision, .recall, .f1,
        .mae, .rmse, .r2, .rocAUC, .logLoss, .labelCoverage, .labelled, .lateEvents,
    ]
}
