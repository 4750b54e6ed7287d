/// Structural problems with classification input (as opposed to metrics that are merely undefined,
/// which are reported as `nil`).
public struct ClassificationInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem; a closed set.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case lengthMismatch = "length_mismatch"
            case missingScoreColumn = "missing_score_column"
            case nanScore = "nan_score"
            case probabilityOutOfRange = "probability_out_of_range"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Two per-row inputs have different lengths.
        public static let lengthMismatch = Code(.lengthMismatch)
        /// A true label has no score column.
        public static let missingScoreColumn = Code(.missingScoreColumn)
        /// A score is NaN (scikit-learn rejects NaN input too).
        public static let nanScore = Code(.nanScore)
        /// A probability lies outside [0, 1] (scikit-learn raises for these in `log_loss`).
        public static let probabilityOutOfRange = Code(.probabilityOutOfRange)

        /// The code as written, e.g. `nan_score`.
        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What is wrong, e.g. `nanScore(row: 3)` (the form these errors have always printed).
    public let message: String
    /// The expected and actual lengths, for `lengthMismatch`.
    public let expected: Int?
    public let actual: Int?
    /// The label without a score column, for `missingScoreColumn`.
    public let label: String?
    /// The 0-based row, for `nanScore` and `probabilityOutOfRange`.
    public let row: Int?
    /// The probability out of range, for `probabilityOutOfRange`.
    public let value: Double?

    private init(
        _ code: Code, _ message: String, expected: Int? = nil, actual: Int? = nil, label: String? = nil,
        row: Int? = nil, value: Double? = nil
    ) {
        self.code = code
        self.message = message
        self.expected = expected
        self.actual = actual
        self.label = label
        self.row = row
        self.value = value
    }

    /// Two per-row inputs have different lengths.
    public static func lengthMismatch(expected: Int, actual: Int) -> ClassificationInputError {
        ClassificationInputError(
            .lengthMismatch, "lengthMismatch(expected: \(expected), actual: \(actual))", expected: expected,
            actual: actual)
    }

    /// A true label has no score column.
    public static func missingScoreColumn(label: String) -> ClassificationInputError {
        ClassificationInputError(
            .missingScoreColumn, "missingScoreColumn(label: \(label.debugDescription))", label: label)
    }

    /// A score is NaN.
    public static func nanScore(row: Int) -> ClassificationInputError {
        ClassificationInputError(.nanScore, "nanScore(row: \(row))", row: row)
    }

    /// A probability lies outside [0, 1].
    public static func probabilityOutOfRange(row: Int, value: Double) -> ClassificationInputError {
        ClassificationInputError(
            .probabilityOutOfRange, "probabilityOutOfRange(row: \(row), value: \(value))", row: row, value: value)
    }

    /// `message`.
    public var description: String { message }
}
