import DriftTables
import DriftTestSupport
import Testing

@testable import DriftTables

/// Seeded mutation fuzzing of the table readers: every mutated input either parses or fails with a
/// `TableError` that names the file; nothing crashes, hangs or throws anything else.
@Suite struct TableReaderFuzzTests {
    static let csvSeed = Array(
        ("id,name,score,city\n" + "1,\"Zürich, CH\",0.5,\"say \"\"hi\"\"\"\n"
            + "2,plain,-1e-5,\"two\nlines\"\n" + "3,,NaN,x\n" + "4,NA,inf,y\r\n").utf8)

    static let ndjsonSeed = Array(
        """
        {"id": 1, "name": "Z\\u00fcrich", "score": 0.5, "ok": true}
        {"id": 2, "name": null, "score": -1e-5}

        {"score": 3, "id": 3, "name": "x\\ny"}
        """.utf8)

    @Test func csvReaderNeverCrashes() {
        var mutator = ByteMutator(state: 0x5EED_CAFE)
        var parsed = 0
        var rejected = 0
        for _ in 0..<20_000 {
            let input = mutator.mutate(Self.csvSeed)
            do {
                let table = try CSVReader.read(bytes: input, source: "fuzz.csv")
                #expect(table.rowCount > 0)
                for column in table.columns { _ = column.valueCounts }
                parsed += 1
            } catch let error as TableError {
                #expect(error.file == "fuzz.csv")
                rejected += 1
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(parsed > 1000 && rejected > 1000, "parsed \(parsed), rejected \(rejected)")
    }

    @Test func ndjsonReaderNeverCrashes() {
        var mutator = ByteMutator(state: 0xBAD_5EED)
        var parsed = 0
        var rejected = 0
        for _ in 0..<20_000 {
            let input = mutator.mutate(Self.ndjsonSeed)
            do {
                let table = try NDJSONReader.read(bytes: input, source: "fuzz.ndjson")
                #expect(table.rowCount > 0)
                parsed += 1
            } catch let error as TableError {
                #expect(error.file == "fuzz.ndjson")
                #expect((error.line ?? 1) >= 1)
                rejected += 1
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(parsed > 1000 && rejected > 1000, "parsed \(parsed), rejected \(rejected)")
    }

    @Test func decimalParserNeverCrashes() {
        var mutator = ByteMutator(state: 42)
        let seed = Array("-1.2345678901234567890e-300".utf8)
        for _ in 0..<50_000 {
            let input = mutator.mutate(seed)
            let value = input.withUnsafeBufferPointer { DecimalParser.parse($0) }
            if let value, !value.isNaN {
                // Whatever parses must agree with the standard library's correctly rounded parser.
                #expect(
                    value == Double(String(decoding: input, as: UTF8.self)), "\(String(decoding: input, as: UTF8.self))"
                )
            }
        }
    }
}
