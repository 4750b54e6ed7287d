/// Structural problems with classification input (as opposed to metrics that are merely undefined,
/// which are reported as `nil`).
public enum ClassificationInputError: Error, Sendable, Equatable {
    /// Two per-row inputs have different lengths.
    case lengthMismatch(expected: Int, actual: Int)
    /// A true label has no score column.
    case missingScoreColumn(label: String)
    /// A score is NaN (scikit-learn rejects NaN input too).
    case nanScore(row: Int)
    /// A probability lies outside [0, 1] (scikit-learn raises for these in `log_loss`).
    case probabilityOutOfRange(row: Int, value: Double)
}
