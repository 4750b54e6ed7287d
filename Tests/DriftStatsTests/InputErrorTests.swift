import Testing

@testable import DriftStats

/// The input errors print what they printed before they had codes (the CLI shows that text).
@Suite struct InputErrorTests {
    /// `ClassificationInputError` as it was: an enum printed by the standard library.
    enum Former {
        case lengthMismatch(expected: Int, actual: Int)
        case missingScoreColumn(label: String)
        case nanScore(row: Int)
        case probabilityOutOfRange(row: Int, value: Double)
    }

    @Test func classificationInputErrorsPrintAsTheFormerEnum() {
        let pairs: [(ClassificationInputError, Former)] = [
            (.lengthMismatch(expected: 2, actual: 1), .lengthMismatch(expected: 2, actual: 1)),
            (.missingScoreColumn(label: "a \"b\""), .missingScoreColumn(label: "a \"b\"")),
            (.nanScore(row: 3), .nanScore(row: 3)),
            (.probabilityOutOfRange(row: 0, value: 1.5), .probabilityOutOfRange(row: 0, value: 1.5)),
        ]
        for (error, former) in pairs { #expect("\(error)" == String(describing: former)) }
    }

    @Test func classificationInputErrorsHaveTheirCodes() {
        #expect(ClassificationInputError.nanScore(row: 3).code == .nanScore)
        #expect("\(ClassificationInputError.Code.probabilityOutOfRange)" == "probability_out_of_range")
    }

    @Test func aLengthMismatchPrintsAsTheFormerStruct() {
        struct LengthMismatch { let actualCount: Int, predictedCount: Int }
        let former = String(describing: LengthMismatch(actualCount: 2, predictedCount: 1))
        #expect("\(RegressionMetrics.LengthMismatch(actualCount: 2, predictedCount: 1))" == former)
    }
}
