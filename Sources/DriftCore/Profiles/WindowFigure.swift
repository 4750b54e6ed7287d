/// One figure of one window — a row of the `window_metrics` time series without its model and window.
/// `feature`, `classLabel` and `method` are empty where they do not apply.
package struct WindowFigure: Sendable, Equatable {
    /// The figure a window whose figures could not be computed is closed with (value 1; the agent's log
    /// says why).
    package static let errorMetric = "window_error"

    package var metric: String
    package var feature: String
    package var classLabel: String
    package var method: String
    package var value: Double?
    package var threshold: Double?
    package var drift: Bool?
    /// Share of the window's predictions that had a label (realized performance figures only).
    package var labelCoverage: Double?

    package init(
        _ metric: String, feature: String = "", classLabel: String = "", method: String = "", value: Double?,
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
