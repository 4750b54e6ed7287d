import Foundation

/// Logistic (cross-entropy) loss, `sklearn.metrics.log_loss` (scikit-learn 1.9.1).
///
/// `L = −(1/n) Σᵢ ln(clip(pᵢ, ε, 1−ε))` with `pᵢ` the probability given to row i's true class and
/// `ε = 2.220446049250313e-16` (float64 machine epsilon, scikit-learn's clipping since 1.5),
/// natural log. O(n) (O(k·n) to validate k multiclass columns). Sums are compensated.
public enum LogLoss {
    /// scikit-learn's clipping epsilon, `numpy.finfo(float64).eps`.
    public static let clippingEpsilon = 2.220446049250313e-16

    /// Binary log loss: `p = score` for positive rows, `1 − score` for the others
    /// (`log_loss(y_true, y_score)` with `y_score` the positive class's probability).
    /// - Returns: `nil` for empty input.
    /// - Throws: length mismatch, NaN score, or a score outside [0, 1] (scikit-learn raises too).
    public static func binary(
        isPositive: [Bool], positiveScores: [Double]
    ) throws(ClassificationInputError)
        -> Double?
    {
        guard isPositive.count == positiveScores.count else {
            throw .lengthMismatch(expected: isPositive.count, actual: positiveScores.count)
        }
        try validateProbabilities(positiveScores)
        guard !isPositive.isEmpty else { return nil }
        var sum = CompensatedSum()
        for (positive, score) in zip(isPositive, positiveScores) {
            sum.add(-Foundation.log(clip(positive ? score : 1 - score)))
        }
        return sum.value / Double(isPositive.count)
    }

    /// Binary log loss where rows whose true label equals `positiveLabel` (exact scalars) are positive.
    /// See ``binary(isPositive:positiveScores:)``.
    public static func binary(
        truth: [String], positiveScores: [Double], positiveLabel: String
    )
        throws(ClassificationInputError) -> Double?
    {
        let positive = ExactLabel(positiveLabel)
        return try binary(isPositive: truth.map { ExactLabel($0) == positive }, positiveScores: positiveScores)
    }

    /// Multiclass log loss: `p` = the row's value in the score column of its true label.
    /// `scoreColumns` maps each label to its probability column (e.g. `score_<label>`). Every
    /// column is validated; rows are not required to sum to 1 (scikit-learn 1.9 only warns).
    /// - Returns: `nil` for empty input.
    /// - Throws: ``ClassificationInputError/missingScoreColumn(label:)``, length mismatch, NaN or a
    ///   probability outside [0, 1].
    public static func multiclass(
        truth: [String], scoreColumns: [String: [Double]]
    )
        throws(ClassificationInputError) -> Double?
    {
        let table = try ScoreTable(truth: truth, scoreColumns: scoreColumns)
        for column in scoreColumns.values { try validateProbabilities(column) }
        guard !truth.isEmpty else { return nil }
        var sum = CompensatedSum()
        for (row, k) in table.classIndex.enumerated() {
            sum.add(-Foundation.log(clip(table.columns[k][row])))
        }
        return sum.value / Double(truth.count)
    }

    /// `min(max(p, ε), 1 − ε)`.
    static func clip(_ p: Double) -> Double {
        Swift.min(Swift.max(p, clippingEpsilon), 1 - clippingEpsilon)
    }

    /// Throws for NaN or values outside [0, 1].
    static func validateProbabilities(_ values: [Double]) throws(ClassificationInputError) {
        for (row, value) in values.enumerated() {
            if value.isNaN { throw .nanScore(row: row) }
            if value < 0 || value > 1 { throw .probabilityOutOfRange(row: row, value: value) }
        }
    }
}
