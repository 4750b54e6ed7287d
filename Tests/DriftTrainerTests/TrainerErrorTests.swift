import Testing

@testable import DriftTrainer

/// `TrainerError`'s codes and equality.
@Suite struct TrainerErrorTests {
    @Test func codesAreWrittenAsBefore() {
        let written: [(TrainerError.Code, String)] = [
            (.lengthMismatch, "length_mismatch"), (.invalidOption, "invalid_option"), (.invalidData, "invalid_data"),
            (.missingColumn, "missing_column"), (.missingLabel, "missing_label"),
            (.duplicateColumn, "duplicate_column"), (.malformedArtifact, "malformed_artifact"),
            (.unsupportedVersion, "unsupported_version"), (.encodingFailed, "encoding_failed"),
            (.numericalFailure, "numerical_failure"), (.diverged, "diverged"),
        ]
        for (code, text) in written { #expect("\(code)" == text) }
    }

    @Test func equalityIgnoresTheUnderlyingError() {
        struct Cause: Error {}
        let plain = TrainerError(code: .encodingFailed, message: "m")
        let wrapped = TrainerError(code: .encodingFailed, message: "m", underlying: Cause())
        #expect(plain == wrapped)
    }
}
