import DriftTables
import DriftTestSupport
import Testing

@testable import DriftStats
@testable import DriftTables

/// The single-pass fast path (`PlainRowParser`) must read exactly what the general path reads: the same
/// values (bit for bit), category codes, missing counts and first missing lines, row counts, and the same
/// error at the same line and column. Checked on seeded CSVs mixing plain rows with everything the fast
/// path hands over (quotes, spaces, NA tokens, inf/nan, long mantissas, exponents, CRLF, blank lines,
/// trailing commas, ragged rows and bad numbers).
@Suite struct PlainRowParserTests {
    static func cell(_ g: inout SplitMix64, numeric: Bool) -> String {
        let pick = Int(g.next() % 40)
        if numeric {
            switch pick {
            case 0: return ""
            case 1: return "NA"
            case 2: return " 1.5"
            case 3: return "2.25 "
            case 4: return "\"3.5\""
            case 5: return ["inf", "-Infinity", "nan", "NaN"][Int(g.next() % 4)]
            case 6: return "1.2345678901234567890123e-5"  // more than 19 digits
            case 7: return "+7e3"
            case 8: return "-0"
            case 9: return ".5"
            case 10: return "5."
            case 11: return "2.2250738585072011e-308"
            case 12: return "9007199254740993"
            default:
                let x = (Double(g.next() % 2_000_000) - 1_000_000) / Double(1 + g.next() % 1000)
                return g.next() % 3 == 0 ? "\(x)e\(Int(g.next() % 40) - 20)" : "\(x)"
            }
        }
        switch pick {
        case 0: return ""
        case 1: return "null"
        case 2: return " padded "
        case 3: return "\"quoted, with comma\""
        case 4: return "\"say \"\"hi\"\"\""
        case 5: return "\"two\nlines\""
        case 6: return "in\"side"
        default: return "c\(g.next() % 9)"
        }
    }

    static func csv(seed: UInt64, rows: Int, errors: Bool) -> String {
        var g = SplitMix64(seed: seed)
        var text = "x,kind,y,z\n"
        for _ in 0..<rows {
            let r = g.next() % 60
            if r == 0 { text += "\n"; continue }
            var fields = [
                cell(&g, numeric: true), cell(&g, numeric: false), cell(&g, numeric: true), cell(&g, numeric: true),
            ]
            if errors && r == 1 { fields.removeLast() }
            if errors && r == 2 { fields[2] = "12abc" }
            text += fields.joined(separator: ",") + (r == 3 ? "\r\n" : "\n")
        }
        if g.next() % 2 == 0 { text.removeLast() }  // no newline at the end
        return text
    }

    static func read(_ text: String, fast: Bool, threads: Int) -> Result<Table, TableError> {
        var options = TableReadOptions()
        options.types = ["x": .numeric, "kind": .categorical, "y": .numeric, "z": .numeric]
        options.plainRowFastPath = fast
        options.maxThreads = threads
        do { return .success(try CSVReader.read(bytes: Array(text.utf8), source: "t.csv", options: options)) } catch let
            e
            as TableError
        {
            return .failure(e)
        } catch {
            Issue.record("unexpected \(error)")
            return .failure(TableError(.unreadable, file: "t.csv", "\(error)"))
        }
    }

    static func expectSame(_ a: Result<Table, TableError>, _ b: Result<Table, TableError>, _ label: String) {
        switch (a, b) {
        case (.success(let x), .success(let y)):
            #expect(x.rowCount == y.rowCount, "\(label)")
            #expect(x.columnNames == y.columnNames, "\(label)")
            for name in x.columnNames {
                switch (x.column(name), y.column(name)) {
                case (.numeric(let v, let m, let f)?, .numeric(let w, let n, let e)?):
                    #expect(v.map(\.bitPattern) == w.map(\.bitPattern), "\(label) \(name)")
                    #expect(m == n && f == e, "\(label) \(name)")
                case (.categorical(let v, let k, let m, let f)?, .categorical(let w, let l, let n, let e)?):
                    #expect(v == w && k == l && m == n && f == e, "\(label) \(name)")
                default:
                    Issue.record("\(label) \(name): column kinds differ")
                }
            }
        case (.failure(let x), .failure(let y)):
            #expect(x == y, "\(label): \(x) vs \(y)")
        default:
            Issue.record("\(label): one path failed, the other did not: \(a) vs \(b)")
        }
    }

    @Test func theFastPathReadsWhatTheGeneralPathReads() {
        for seed in 1...30 {
            let text = Self.csv(seed: UInt64(seed), rows: 400, errors: false)
            Self.expectSame(
                Self.read(text, fast: true, threads: 1), Self.read(text, fast: false, threads: 1), "seed \(seed)")
        }
    }

    @Test func errorsAreTheSameOnBothPaths() {
        for seed in 100...130 {
            let text = Self.csv(seed: UInt64(seed), rows: 300, errors: true)
            Self.expectSame(
                Self.read(text, fast: true, threads: 1), Self.read(text, fast: false, threads: 1), "seed \(seed)")
        }
    }

    @Test func aLargeFileSplitAcrossThreadsReadsTheSame() {
        let text = Self.csv(seed: 7, rows: 120_000, errors: false)
        Self.expectSame(Self.read(text, fast: true, threads: 4), Self.read(text, fast: false, threads: 1), "large")
    }

    @Test func prefixParsingRoundsAsWholeFieldParsing() {
        var g = SplitMix64(seed: 77)
        var texts = ["0", "-0", "1.0", "5.", ".5", "9007199254740993", "2.2250738585072011e-308", "1e23", "-1.5E-7"]
        for _ in 0..<20_000 {
            let x = Double(bitPattern: g.next() >> 2) * (g.next() % 2 == 0 ? 1 : -1)
            let y = (Double(g.next() % 2_000_000) - 1_000_000) / Double(1 + g.next() % 100_000)
            texts.append(x.description)
            texts.append(y.description)
            texts.append(
                String(Int64(bitPattern: g.next()) % 1_000_000_000) + "." + String(g.next() % 10_000_000_000_000))
        }
        for text in texts {
            let field = Array(text.utf8)
            let row = field + Array(",next".utf8)
            let whole = field.withUnsafeBufferPointer { DecimalParser.parse($0) }
            var p = 0
            let prefix = row.withUnsafeBufferPointer { DecimalParser.parsePrefix($0, at: &p) }
            if let prefix {
                #expect(prefix.bitPattern == whole?.bitPattern, "\(text)")
                #expect(p == field.count, "\(text)")
            } else {
                #expect(p == 0, "\(text)")  // handed to the general path, which then decides
            }
        }
    }

    @Test func columnBuffersGrowWhenTheFirstRowsAreLong() throws {
        // The row estimate comes from the first lines: long ones make it far too small.
        var text = "x,kind,y,z\n"
        for i in 0..<100 { text += "\(i),\(String(repeating: "k", count: 2_000)),\(i).5,-\(i)\n" }
        for i in 100..<30_000 { text += "\(i),s,\(i).5,-\(i)\n" }
        let table = try #require(Self.read(text, fast: true, threads: 1).success, "read failed")
        #expect(table.rowCount == 30_000)
        #expect(try #require(table.column("x")?.numericValues) == (0..<30_000).map(Double.init))
        #expect(try #require(table.column("z")?.numericValues) == (0..<30_000).map { -Double($0) })
    }
}
