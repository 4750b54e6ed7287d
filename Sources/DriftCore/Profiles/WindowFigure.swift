/// One figure of one window — a row of the `window_metrics` time series without its model and window.
/// `feature`, `classLabel` and `method` are empty where they do not apply.
public struct WindowFigure: Sendable, Equatable {
    /// The figure a window whose figures could not be computed is closed with (value 1; the agent's log
    /// says why).
    public static let errorMetric = "window_error"

    public var metric: String
    public var feature: String
    public var classLabel: String
    public var method: String
    public var value: Double?
    public var threshold: Double?
    public var drift: Bool?
    /// Share of the window's predictions that had a label (realized performance figures only).
    public var labelCoverage: Double?

    public init(
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
