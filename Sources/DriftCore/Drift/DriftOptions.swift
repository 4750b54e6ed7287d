import DriftStats

/// Settings of a drift comparison (what `driftwatch drift` exposes as flags).
package struct DriftOptions: Sendable {
    /// Methods per column; nil: `DriftMethod.defaults(for:)`.
    package var methods: [DriftMethod]? = nil
    package var binning: BinningMode = .quantile
    /// Number of quantile bins (quantile binning only).
    package var bins: Int = 10
    package var chiSquareForm: ChiSquareForm = .contingency
    package var jensenShannonBase: JensenShannon.Base = .e
    package var ksMethod: KSMethod = .auto
    /// Thresholds that replace the defaults.
    package var thresholds: [DriftMethod: Double] = [:]
    package var correction: PValueCorrectionMethod = .none
    /// Share of drifted columns at or above which the dataset has drifted.
    package var datasetDriftShare: Double = 0.5
    /// Epsilon for empty bins in PSI (quantile and nannyml binning).
    package var psiEpsilon: Double = 1e-4

    package init() {}

    /// The threshold in force for `method` (nil: the method has none and never flags drift).
    package func threshold(for method: DriftMethod) -> Double? {
        thresholds[method] ?? method.defaultThreshold
    }
}
