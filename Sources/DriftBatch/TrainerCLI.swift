import DriftCore
import DriftTables
import DriftTrainer

/// Shared pieces of `train`, `predict` and `bench train`.
package enum TrainerCLI {
    /// Runs `body`, turning a `TrainerError` into a `TableError` about `file` (printed as
    /// `file:line: column 'x': message`, exit status 2, like the other commands' input errors).
    package static func mapping<T>(file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TrainerError {
            throw TableError(
                tableCode(for: error.code), file: file, line: error.line, column: error.column, error.message)
        }
    }

    /// The table code a trainer failure is reported with: the same name (`missing_column` stays
    /// `missing_column`). Every trainer code is listed; one left out would be reported as `invalid_data`.
    package static func tableCode(for code: TrainerError.Code) -> TableError.Code {
        let codes: [TrainerError.Code: TableError.Code] = [
            .lengthMismatch: .lengthMismatch, .invalidOption: .invalidOption, .invalidData: .invalidData,
            .missingColumn: .missingColumn, .missingLabel: .missingLabel, .duplicateColumn: .duplicateColumn,
            .malformedArtifact: .malformedArtifact, .unsupportedVersion: .unsupportedVersion,
            .encodingFailed: .encodingFailed, .numericalFailure: .numericalFailure, .diverged: .diverged,
        ]
        return codes[code] ?? .invalidData
    }

    /// A CSV field: quoted (RFC 4180) when it holds a comma, quote, line break or leading/trailing space.
    package static func csvField(_ s: String) -> String {
        let needsQuotes =
            s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || s.hasPrefix(" ")
            || s.hasSuffix(" ")
        guard needsQuotes else { return s }
        var quoted = "\""
        for character in s {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }

    /// A number shortest round-trip (`JSONWriter`'s form without quotes for non-finite values).
    package static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return v.description
    }
}
