import DriftStats

/// Settings of a drift comparison (what `driftwatch drift` exposes as flags).
public struct DriftOptions: Sendable {
    /// Methods per column; nil: `DriftMethod.defaults(for:)`.
    public var methods: [DriftMethod]? = nil
    public var binning: BinningMode = .quantile
    /// Number of quantile bins (quantile binning only).
    public var bins: Int = 10
    public var chiSquareForm: ChiSquareForm = .contingency
    public var jensenShannonBase: JensenShannon.Base = .e
    public var ksMethod: KSMethod = .auto
    /// Thresholds that replace the defaults.
    public var thresholds: [DriftMethod: Double] = [:]
    public var correction: PValueCorrectionMethod = .none
    /// Share of drifted columns at or above which the dataset has drifted.
    public var datasetDriftShare: Double = 0.5
    /// Epsilon for empty bins in PSI (quantile and nannyml binning).
    public var psiEpsilon: Double = 1e-4

    public init() {}

    /// The threshold in force for `method` (nil: the method has none and never flags drift).
    public func threshold(for method: DriftMethod) -> Double? {
        thresholds[method] ?? method.defaultThreshold
    }
}
