import DriftTables
import Testing

@testable import DriftTables

@Suite struct CSVReaderTests {
    func read(_ text: String, _ configure: (inout TableReadOptions) -> Void = { _ in }) throws -> Table {
        var options = TableReadOptions()
        configure(&options)
        return try CSVReader.read(bytes: Array(text.utf8), source: "data.csv", options: options)
    }

    func error(_ text: String, _ configure: (inout TableReadOptions) -> Void = { _ in }) -> TableError? {
        do {
            _ = try read(text, configure)
            return nil
        } catch let e as TableError {
            return e
        } catch {
            return nil
        }
    }

    func numbers(_ t: Table, _ name: String) -> [Double] {
        guard case .numeric(let v, _, _)? = t.column(name) else { return [] }
        return v
    }

    @Test func theHeaderNamesTheColumns() throws {
        let t = try read("a,b\n1.5,x\n-2,y\n3e2,x\n")
        #expect(t.rowCount == 3)
        #expect(t.columnNames == ["a", "b"])
    }

    @Test func numericColumnsAreReadAsNumbers() throws {
        let t = try read("a,b\n1.5,x\n-2,y\n3e2,x\n")
        #expect(numbers(t, "a") == [1.5, -2, 300])
    }

    @Test func textColumnsAreReadAsCategories() throws {
        let t = try read("a,b\n1.5,x\n-2,y\n3e2,x\n")
        #expect(t.column("b")?.strings == ["x", "y", "x"])
        #expect(t.column("b")?.valueCounts == ["x": 2, "y": 1])
    }

    @Test func emptyFileIsAnError() {
        #expect(error("")?.code == .emptyFile)
        #expect(error("\n\n")?.code == .emptyFile)
    }

    @Test func headerOnlyIsAnError() {
        let e = error("a,b\n")
        #expect(e?.code == .noRows)
        #expect(e?.description.contains("data.csv") == true)
    }

    @Test func raggedRowNamesItsLine() {
        let e = error("a,b\n1,2\n3\n4,5\n")
        #expect(e?.code == .raggedRow)
        #expect(e?.line == 3)
        #expect(e?.description.hasPrefix("data.csv:3:") == true)
    }

    /// 150 numeric rows: more than the 100 values that decide a column's type.
    static let numericRows = (1...150).map { "\($0),\($0 * 2)\n" }.joined()

    @Test func aNonNumericValueIsAnErrorAtItsPlace() {
        let e = error("a,b\n" + Self.numericRows + "3,oops\n")
        #expect(e?.code == .nonNumericValue)
        #expect(e?.line == 152)
        #expect(e?.column == "b")
        #expect(e?.message.contains("oops") == true)
    }

    @Test func firstValuesDecideTheType() throws {
        let t = try read("a\nx\n1\n")
        #expect(t.column("a")?.isNumeric == false)
        let early = try read("a,b\n1,2\n3,oops\n")
        #expect(early.column("b")?.isNumeric == false)
        let forced = try read("zip\n02139\n10001\n") { $0.categorical = ["zip"] }
        #expect(forced.column("zip")?.strings == ["02139", "10001"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let t = try read("\u{FEFF}a,b\n1,2\n")
        #expect(t.columnNames == ["a", "b"])
    }

    @Test func quotedFieldsMayHoldSeparatorsLineBreaksOrQuotes() throws {
        let t = try read("name,v\n\"Zürich, CH\",1\n\"two\nlines\",2\n\"say \"\"hi\"\"\",3\n")
        #expect(t.column("name")?.strings == ["Zürich, CH", "two\nlines", "say \"hi\""])
        #expect(numbers(t, "v") == [1, 2, 3])
    }

    @Test func lineNumbersCountNewlinesInsideQuotes() {
        let e = error("name,v\n\"a\nb\",1\n" + (1...150).map { "n\($0),\($0)\n" }.joined() + "\"c\",x\n")
        #expect(e?.line == 154)
    }

    @Test func crlfLineEnds() throws {
        let t = try read("a,b\r\n1,x\r\n2,y\r\n")
        #expect(numbers(t, "a") == [1, 2])
        #expect(t.column("b")?.strings == ["x", "y"])
    }

    @Test func missingCellsAreCountedNotDropped() throws {
        let t = try read("a,b\n1,x\n,\nNaN,NA\n4,y\n")
        #expect(t.rowCount == 4)
        #expect(t.column("a")?.missingCount == 2)
        #expect(t.column("a")?.firstMissingLine == 3)
        #expect(t.column("b")?.missingCount == 2)
        #expect(numbers(t, "a").filter { !$0.isNaN } == [1, 4])
    }

    @Test func unterminatedQuoteIsAnError() {
        let e = error("a\n\"open\n")
        #expect(e?.code == .unterminatedQuote)
        #expect(e?.line == 2)
    }

    @Test func duplicateHeaderIsAnError() {
        #expect(error("a,a\n1,2\n")?.code == .duplicateColumn)
    }

    @Test func onlyWantedColumnsAreParsed() throws {
        let t = try read("a,b\n1,oops\n") { $0.columns = ["a"] }
        #expect(t.columnNames == ["a"])
    }

    @Test func blankLinesAreSkipped() throws {
        let t = try read("a\n1\n\n2\n")
        #expect(numbers(t, "a") == [1, 2])
    }

    @Test func parallelParseEqualsSequentialParse() throws {
        // Large enough to be split across threads, with quoted newlines that straddle the split points.
        var text = "id,label,v\n"
        for i in 0..<200_000 {
            let label = i % 7 == 0 ? "\"multi\nline \(i % 13)\"" : "plain\(i % 11)"
            text += "\(i),\(label),\(Double(i) * 0.25 - 7.5)\n"
        }
        let parallel = try read(text) { $0.maxThreads = 4 }
        let sequential = try read(text) { $0.maxThreads = 1 }
        #expect(parallel.rowCount == 200_000)
        #expect(numbers(parallel, "v") == numbers(sequential, "v"))
        #expect(parallel.column("label")?.strings == sequential.column("label")?.strings)
        // A bad value far into the file is reported with its physical line.
        let bad = text + "200000,x,notanumber\n"
        let e = error(bad) { $0.maxThreads = 4 }
        let newlines = text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        #expect(e?.line == newlines + 1)
    }
}
