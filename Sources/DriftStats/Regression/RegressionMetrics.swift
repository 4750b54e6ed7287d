/// Regression error metrics of scikit-learn 1.9 (`sklearn.metrics`), computed in one O(n) pass
/// with compensated sums.
///
/// Special values (scikit-learn raises for empty input and NaN; here nothing traps):
/// * empty input: every metric NaN;
/// * NaN anywhere: the affected metrics are NaN;
/// * one element: MAE, RMSE and MAPE as usual, R² NaN (scikit-learn: "not well-defined with less
///   than two samples", returns NaN);
/// * all true values equal (SS_tot = 0): R² = 1 if the predictions are perfect, else 0
///   (`force_finite=True`). SS_tot is taken to be exactly 0 whenever every true value is equal, even
///   where a rounded mean would leave a residue of ~1e-32.
public struct RegressionMetrics: Sendable, Equatable {
    /// The per-row inputs had different lengths.
    public struct LengthMismatch: Error, Sendable, Equatable, CustomStringConvertible {
        /// The kind of problem; a closed set (of one).
        public struct Code: Sendable, Hashable, CustomStringConvertible {
            private enum Base: String, Sendable { case lengthMismatch = "length_mismatch" }
            private let base: Base
            private init(_ base: Base) { self.base = base }

            /// The true values and the predictions differ in number.
            public static let lengthMismatch = Code(.lengthMismatch)

            /// The code as written: `length_mismatch`.
            public var description: String { base.rawValue }
        }

        public let code: Code
        /// Number of true values.
        public let actualCount: Int
        /// Number of predictions.
        public let predictedCount: Int

        /// The error for `actualCount` true values and `predictedCount` predictions.
        public init(actualCount: Int, predictedCount: Int) {
            self.code = .lengthMismatch
            self.actualCount = actualCount
            self.predictedCount = predictedCount
        }

        /// What is wrong, in the form this error has always printed.
        public var message: String { "LengthMismatch(actualCount: \(actualCount), predictedCount: \(predictedCount))" }
        public var description: String { message }
    }

    /// Number of rows.
    public let count: Int
    /// `mean |y − ŷ|` — `mean_absolute_error`.
    public let meanAbsoluteError: Double
    /// `√(mean (y − ŷ)²)` — `root_mean_squared_error`.
    public let rootMeanSquaredError: Double
    /// `mean |y − ŷ| / max(|y|, ε)` with ε = 2.220446049250313e-16 — `mean_absolute_percentage_error`
    /// (a fraction, not a percentage).
    public let meanAbsolutePercentageError: Double
    /// `1 − SS_res / SS_tot`, `SS_res = Σ (y − ŷ)²`, `SS_tot = Σ (y − ȳ)²` — `r2_score`
    /// (`force_finite=True`: SS_tot = 0 gives 1 when SS_res = 0, else 0).
    public let r2: Double

    /// The four metrics of `predicted` against `actual`. O(n).
    /// - Throws: ``LengthMismatch`` when the arrays differ in length.
    public init(actual: [Double], predicted: [Double]) throws(LengthMismatch) {
        guard actual.count == predicted.count else {
            throw LengthMismatch(actualCount: actual.count, predictedCount: predicted.count)
        }
        let n = Double(actual.count)
        count = actual.count
        guard !actual.isEmpty else {
            meanAbsoluteError = .nan
            rootMeanSquaredError = .nan
            meanAbsolutePercentageError = .nan
            r2 = .nan
            return
        }
        var absolute = CompensatedSum()
        var squared = CompensatedSum()
        var percentage = CompensatedSum()
        var totalOfActual = CompensatedSum()
        for (y, yHat) in zip(actual, predicted) {
            let error = y - yHat
            absolute.add(abs(error))
            squared.add(error * error)
            percentage.add(abs(error) / Swift.max(abs(y), Double.ulpOfOne))
            totalOfActual.add(y)
        }
        meanAbsoluteError = absolute.value / n
        rootMeanSquaredError = (squared.value / n).squareRoot()
        meanAbsolutePercentageError = percentage.value / n
        r2 = RegressionMetrics.rSquared(
            actual: actual, residualSumOfSquares: squared.value, mean: totalOfActual.value / n)
    }

    /// R² with scikit-learn's `force_finite` rule; NaN for fewer than two rows.
    private static func rSquared(actual: [Double], residualSumOfSquares: Double, mean: Double) -> Double {
        guard actual.count >= 2, let first = actual.first else { return .nan }
        var totalSumOfSquares = 0.0
        if !actual.allSatisfy({ $0 == first }) {
            var sum = CompensatedSum()
            for y in actual {
                let d = y - mean
                sum.add(d * d)
            }
            totalSumOfSquares = sum.value
        }
        if residualSumOfSquares.isNaN || totalSumOfSquares.isNaN { return .nan }
        if totalSumOfSquares == 0 { return residualSumOfSquares == 0 ? 1 : 0 }
        return 1 - residualSumOfSquares / totalSumOfSquares
    }
}
