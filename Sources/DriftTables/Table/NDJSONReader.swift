/// Reads newline-delimited JSON: one flat object per line (`{"a": 1.5, "b": "x", "c": null}`).
/// Keys become columns in order of first appearance; a key absent from a line is a missing cell, as is
/// `null`. Numbers make numeric cells, strings and booleans (`"true"`/`"false"`) categorical ones.
/// A column is numeric when its first `typeSniffValues` non-missing values are all JSON numbers (or its
/// type is given); a string in a numeric column is an error naming its line, unless it is a missing-value
/// token. Nested objects and arrays are errors. Blank lines are skipped. O(bytes).
package enum NDJSONReader {
    enum Cell {
        case number(Double)
        case text(String)
        case missing
    }

    package static func read(
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
                guard let members = try flatMembers(line, line: lineNumber, source: source) else { continue }  // blank
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

extension NDJSONReader {
    /// The members of the flat JSON object on one line, or nil for a blank line. Parsed with `JSONValue`
    /// (exact numbers); nested objects and arrays are errors.
    static func flatMembers(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, source: String) throws -> [(String, Cell)]?
    {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw TableError(.invalidJSON, file: source, line: line, "\(error)")
        }
        guard case .object(let members) = value else {
            throw TableError(.invalidJSON, file: source, line: line, "expected a JSON object")
        }
        return try members.map { key, member in
            switch member {
            case .null: return (key, .missing)
            case .number(let v): return (key, .number(v))
            case .string(let s): return (key, .text(s))
            case .bool(let b): return (key, .text(b ? "true" : "false"))
            case .array, .object:
                throw TableError(
                    .invalidJSON, file: source, line: line, column: key,
                    "nested objects and arrays are not supported; flatten the record")
            }
        }
    }
}
