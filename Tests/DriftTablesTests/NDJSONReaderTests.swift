import DriftTables
import Testing

@testable import DriftTables

@Suite struct NDJSONReaderTests {
    func read(_ text: String) throws -> Table {
        try NDJSONReader.read(bytes: Array(text.utf8), source: "events.ndjson")
    }

    @Test func readsFlatObjects() throws {
        let t = try read("{\"a\": 1.5, \"b\": \"x\"}\n\n{\"b\": \"y\", \"a\": -2, \"c\": null}\n")
        #expect(t.rowCount == 2)
        #expect(t.columnNames == ["a", "b", "c"])
        #expect(try #require(t.column("a")?.numericValues, "a is not numeric") == [1.5, -2])
        #expect(t.column("b")?.strings == ["x", "y"])
        #expect(t.column("c")?.missingCount == 2)
    }

    @Test func numbersAreParsedExactly() throws {
        let t = try read("{\"v\": 0.05633075231960738}\n")
        let numbers: [Double]? = {
            if case .numeric(let v, _, _)? = t.column("v") { return v }
            return nil
        }()
        #expect(try #require(numbers) == [0.05633075231960738])
    }

    @Test func stringEscapesAreDecoded() throws {
        let t = try read(#"{"name": "Z\u00fcrich\t\"x\"\n"}"# + "\n")
        #expect(t.column("name")?.strings == ["Zürich\t\"x\"\n"])
    }

    @Test func badLinesNameTheirLine() {
        for (text, line) in [("{\"a\": 1}\n{\"a\": }\n", 2), ("{\"a\": 1}\n{\"a\": [1]}\n", 2), ("{\"a\": 1\n", 1)] {
            do {
                _ = try read(text)
                Issue.record("no error for \(text)")
            } catch let e as TableError {
                #expect(e.line == line, "\(text)")
                #expect(e.code == .invalidJSON)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func stringInNumericColumnIsAnError() {
        do {
            _ = try read(String(repeating: "{\"a\": 1}\n", count: 150) + "{\"a\": \"one\"}\n")
            Issue.record("no error")
        } catch let e as TableError {
            #expect(e.code == .nonNumericValue)
            #expect(e.line == 151)
            #expect(e.column == "a")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
