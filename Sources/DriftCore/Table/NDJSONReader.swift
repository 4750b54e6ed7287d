/// Reads newline-delimited JSON: one flat object per line (`{"a": 1.5, "b": "x", "c": null}`).
/// Keys become columns in order of first appearance; a key absent from a line is a missing cell, as is
/// `null`. Numbers make numeric cells, strings and booleans (`"true"`/`"false"`) categorical ones.
/// A column is numeric when its first `typeSniffValues` non-missing values are all JSON numbers (or its
/// type is given); a string in a numeric column is an error naming its line, unless it is a missing-value
/// token. Nested objects and arrays are errors. Blank lines are skipped. O(bytes).
public enum NDJSONReader {
    enum Cell {
        case number(Double)
        case text(String)
        case missing
    }

    public static func read(
        bytes: [UInt8], source: String, options: TableReadOptions = TableReadOptions()
    ) throws
        -> Table
    {
        var names: [String] = []
        var index: [String: Int] = [:]
        var cells: [[Cell]] = []
        var lines: [Int] = []
        var rows = 0
        var lineNumber = 0
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if bytes.count - start == 0 { throw TableError(.emptyFile, file: source, "the file is empty") }
        try bytes.withUnsafeBufferPointer { all in
            var position = start
            while position < all.count {
                lineNumber += 1
                var end = position
                while end < all.count, all[end] != 0x0A { end += 1 }
                let line = UnsafeBufferPointer(rebasing: all[position..<end])
                position = end + 1
                var parser = FlatJSONParser(bytes: line, line: lineNumber, source: source)
                guard let members = try parser.parseObject() else { continue }  // blank line
                for (key, cell) in members {
                    if let wanted = options.columns, !wanted.contains(key) { continue }
                    let column: Int
                    if let c = index[key] {
                        column = c
                    } else {
                        column = names.count
                        index[key] = column
                        names.append(key)
                        cells.append([Cell](repeating: .missing, count: rows))
                    }
                    if cells[column].count == rows + 1 {
                        throw TableError(
                            .invalidJSON, file: source, line: lineNumber, column: key, "the key appears twice")
                    }
                    cells[column].append(cell)
                }
                rows += 1
                lines.append(lineNumber)
                for c in cells.indices where cells[c].count < rows { cells[c].append(.missing) }
            }
        }
        guard rows > 0 else { throw TableError(.noRows, file: source, "the file holds no JSON objects") }
        var columns: [TableColumn] = []
        for (c, name) in names.enumerated() {
            let type = try decideType(name: name, cells: cells[c], options: options)
            columns.append(try build(name: name, cells: cells[c], type: type, lines: lines, source: source))
        }
        return Table(source: source, columnNames: names, columns: columns, rowCount: rows)
    }

    static func decideType(name: String, cells: [Cell], options: TableReadOptions) throws -> ColumnType {
        if let t = options.types[name] { return t }
        if options.categorical.contains(name) { return .categorical }
        var seen = 0
        for cell in cells {
            switch cell {
            case .missing: continue
            case .number: seen += 1
            case .text(let s):
                if MissingValues.tokens.contains(s) { continue }
                return .categorical
            }
            if seen >= options.typeSniffValues { break }
        }
        return .numeric
    }

    static func build(
        name: String, cells: [Cell], type: ColumnType, lines: [Int], source: String
    ) throws
        -> TableColumn
    {
        var missing = 0
        var firstMissing: Int?
        switch type {
        case .numeric:
            var values = [Double]()
            values.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                switch cell {
                case .number(let v):
                    values.append(v)
                case .missing:
                    values.append(.nan)
                    missing += 1
                    firstMissing = firstMissing ?? lines[row]
                case .text(let s):
                    if MissingValues.tokens.contains(s) {
                        values.append(.nan)
                        missing += 1
                        firstMissing = firstMissing ?? lines[row]
                    } else if let v = DecimalParser.parse(s) {
                        values.append(v)
                    } else {
                        throw TableError(
                            .nonNumericValue, file: source, line: lines[row], column: name,
                            "\"\(s.prefix(40))\" is not a number in a numeric column")
                    }
                }
            }
            return .numeric(values: values, missing: missing, firstMissingLine: firstMissing)
        case .categorical:
            var codes = [Int32]()
            var categories: [String] = []
            var lookup: [String: Int32] = [:]
            for (row, cell) in cells.enumerated() {
                let text: String?
                switch cell {
                case .number(let v): text = NumberFormatting.label(v)
                case .text(let s): text = MissingValues.tokens.contains(s) ? nil : s
                case .missing: text = nil
                }
                guard let text else {
                    codes.append(-1)
                    missing += 1
                    firstMissing = firstMissing ?? lines[row]
                    continue
                }
                if let code = lookup[text] {
                    codes.append(code)
                } else {
                    let code = Int32(categories.count)
                    lookup[text] = code
                    categories.append(text)
                    codes.append(code)
                }
            }
            return .categorical(codes: codes, categories: categories, missing: missing, firstMissingLine: firstMissing)
        }
    }
}

/// Parses one line holding a flat JSON object.
struct FlatJSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let line: Int
    let source: String
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>, line: Int, source: String) {
        self.bytes = bytes
        self.line = line
        self.source = source
    }

    func fail(_ message: String, key: String? = nil) -> TableError {
        TableError(.invalidJSON, file: source, line: line, column: key, message + " (at character \(i + 1))")
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
    }

    /// The members of the object, or nil for a blank line.
    mutating func parseObject() throws -> [(String, NDJSONReader.Cell)]? {
        skipSpace()
        if i == bytes.count { return nil }
        guard bytes[i] == UInt8(ascii: "{") else { throw fail("expected a JSON object") }
        i += 1
        var members: [(String, NDJSONReader.Cell)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                let key = try parseString()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'", key: key) }
                i += 1
                skipSpace()
                members.append((key, try parseValue(key: key)))
                skipSpace()
                guard i < bytes.count else { throw fail("the object is not closed", key: key) }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'", key: key) }
                i += 1
                break
            }
        }
        skipSpace()
        guard i == bytes.count else { throw fail("text after the object") }
        return members
    }

    mutating func parseValue(key: String) throws -> NDJSONReader.Cell {
        guard i < bytes.count else { throw fail("a value is missing", key: key) }
        switch bytes[i] {
        case UInt8(ascii: "\""): return .text(try parseString())
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw fail("nested objects and arrays are not supported; flatten the record", key: key)
        case UInt8(ascii: "t"): try literal("true", key: key); return .text("true")
        case UInt8(ascii: "f"): try literal("false", key: key); return .text("false")
        case UInt8(ascii: "n"): try literal("null", key: key); return .missing
        default:
            let start = i
            while i < bytes.count, let c = Optional(bytes[i]),
                (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45
            { i += 1 }
            guard i > start, let v = DecimalParser.parse(UnsafeBufferPointer(rebasing: bytes[start..<i])) else {
                throw fail("not a JSON value", key: key)
            }
            return .number(v)
        }
    }

    mutating func literal(_ word: String, key: String) throws {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw fail("not a JSON value", key: key) }
            i += 1
        }
    }

    mutating func parseString() throws -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        i += 1
        var out = [UInt8]()
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(bytes[i])
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"),
                        bytes[i + 2] == UInt8(ascii: "u")
                    {
                        i += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
                default: throw fail("unknown escape in a string")
                }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        throw fail("a string is not closed")
    }

    /// Reads the 4 hex digits after `\u`, leaving `i` on the last one.
    mutating func hex4() throws -> UInt32 {
        guard i + 4 < bytes.count else { throw fail("a \\u escape is cut short") }
        var v: UInt32 = 0
        for k in 1...4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad hex digit in a \\u escape")
            }
            v = v * 16 + d
        }
        i += 4
        return v
    }
}
