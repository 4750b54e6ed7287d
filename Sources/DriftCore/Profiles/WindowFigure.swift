/// One figure of one window — a row of the `window_metrics` time series without its model and window.
/// `feature`, `classLabel` and `method` are empty where they do not apply.
package struct WindowFigure: Sendable, Equatable {
    package var metric: WindowMetric
    package var feature: String
    package var classLabel: String
    package var method: String
    package var value: Double?
    package var threshold: Double?
    package var drift: Bool?
    /// Share of the window's predictions that had a label (realized performance figures only).
    package var labelCoverage: Double?

    package init(
        _ metric: WindowMetric, feature: String = "", classLabel: String = "", method: String = "", value: Double?,
        threshold: Double? = nil, drift: Bool? = nil, labelCoverage: Double? = nil
    ) {
        self.metric = metric
        self.feature = feature
        self.classLabel = classLabel
        self.method = method
        self.value = value
        self.threshold = threshold
        self.drift = drift
        self.labelCoverage = labelCoverage
    }
}
