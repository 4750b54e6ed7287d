import Testing

@testable import DriftTables

/// The written form of the tables' error codes, and what a JSON syntax error says.
@Suite struct ErrorCodeTests {
    @Test func tableCodesAreWrittenAsBefore() {
        let written: [(TableError.Code, String)] = [
            (.unreadable, "unreadable"), (.emptyFile, "empty_file"), (.noRows, "no_rows"),
            (.raggedRow, "ragged_row"), (.unterminatedQuote, "unterminated_quote"),
            (.nonNumericValue, "non_numeric_value"), (.duplicateColumn, "duplicate_column"),
            (.unknownColumn, "unknown_column"), (.invalidJSON, "invalid_json"), (.invalidUTF8, "invalid_utf8"),
        ]
        for (code, text) in written { #expect("\(code)" == text) }
    }

    @Test func tooDeepJSONKeepsItsMessageAndHasItsCode() throws {
        let error = try #require(throws: JSONSyntaxError.self) {
            try JSONValue.parse(String(repeating: "[", count: 100))
        }
        #expect(error.code == .tooDeep)
        #expect(error.description == "nested too deeply (at character 65)")
    }

    @Test func aTextAfterAClosingQuoteIsAnUnterminatedQuoteNamingItsColumn() throws {
        let error = try #require(throws: TableError.self) {
            try CSVReader.read(bytes: Array("a,b\n1,\"x\"y\n".utf8), source: "t.csv")
        }
        #expect(error.code == .unterminatedQuote)
        #expect(error.column == "b")
        #expect(
            error.description
                == "t.csv:2: column 'b': text follows a closing quote (write a quote inside a quoted field as \"\")")
    }
}
