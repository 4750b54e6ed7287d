/// The columns parsed from one chunk of rows.
struct ParsedChunk {
    /// The parsed values; header column `i` is slot `slots[i]` of its kind.
    var columns: ChunkColumns
    var slots: [Int]
    var dictionaries: [Int: ByteStringDictionary] = [:]
    var missing: [Int: Int] = [:]
    var firstMissingLine: [Int: Int] = [:]
    var rows = 0
    var endPosition = 0
    /// The cursor's line after the last row (lines counted from the chunk's `line`).
    var endLine = 0

    /// Moves every line number by `offset` (chunks parsed in parallel count lines from 1).
    mutating func shiftLines(by offset: Int) {
        for (k, v) in firstMissingLine { firstMissingLine[k] = v + offset }
    }
}

typealias ChunkResult = Result<ParsedChunk, TableError>

/// Parses a run of whole rows into typed columns.
enum ChunkParser {
    static func parse(
        _ all: UnsafeBufferPointer<UInt8>, range: Range<Int>, line: Int, header: [String], types: [ColumnType?],
        wanted: [Bool], source: String, plainRows: Bool = true
    ) -> ChunkResult {
        let columnCount = header.count
        let kinds = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, columnCount))  // 0 skip, 1 num, 2 cat
        let slots = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, columnCount))
        let pendingMissing = UnsafeMutablePointer<Int>.allocate(capacity: max(1, columnCount))
        defer {
            kinds.deallocate()
            slots.deallocate()
            pendingMissing.deallocate()
        }
        var numericCount = 0
        var categoricalCount = 0
        for i in 0..<columnCount {
            switch types[i] {
            case .numeric?:
                kinds[i] = 1
                slots[i] = numericCount
                numericCount += 1
            case .categorical?:
                kinds[i] = 2
                slots[i] = categoricalCount
                categoricalCount += 1
            case nil:
                kinds[i] = 0
                slots[i] = -1
            }
        }
        let columns = ChunkColumns(
            columns: columnCount, numeric: numericCount, categorical: categoricalCount,
            rows: estimatedRows(all, range: range))
        let dictionaries = UnsafeMutablePointer<ByteStringDictionary>.allocate(capacity: max(1, categoricalCount))
        for i in 0..<categoricalCount { (dictionaries + i).initialize(to: ByteStringDictionary(capacity: 1)) }
        defer {
            dictionaries.deinitialize(count: categoricalCount)
            dictionaries.deallocate()
        }
        let limited = UnsafeBufferPointer(rebasing: all[0..<range.upperBound])
        let plain = PlainRowParser(
            bytes: limited, kinds: UnsafeBufferPointer(kinds), slots: UnsafeBufferPointer(slots),
            columnCount: columnCount,
            pendingMissing: pendingMissing)
        var cursor = RowCursor(bytes: limited, position: range.lowerBound, line: line)
        var rows = 0
        while true {
            columns.reserve(row: rows)
            if plainRows,
                let next = plain.parse(
                    at: cursor.position, line: cursor.line, row: rows, into: columns, dictionaries: dictionaries)
            {
                cursor.position = next
                cursor.line += 1
                rows += 1
                continue
            }
            switch readRow(
                &cursor, row: rows, into: columns, dictionaries: dictionaries, kinds: kinds, slots: slots,
                header: header, source: source)
            {
            case .failure(let e): return .failure(e)
            case .success(0): break
            case .success(let fields):
                guard fields == columnCount else {
                    return .failure(
                        TableError(
                            .raggedRow, file: source, line: cursor.rowLine,
                            "the row has \(fields) field\(fields == 1 ? "" : "s"), the header has \(header.count)"))
                }
                rows += 1
                continue
            }
            break
        }
        var out = ParsedChunk(columns: columns, slots: Array(slots))
        for i in 0..<columnCount {
            if kinds[i] == 2 { out.dictionaries[i] = dictionaries[slots[i]] }
            out.missing[i] = columns.missing[i]
            if columns.firstMissing[i] > 0 { out.firstMissingLine[i] = columns.firstMissing[i] }
        }
        out.rows = rows
        out.endPosition = cursor.position
        out.endLine = cursor.line
        return .success(out)
    }

    /// Rows in `range`, from the length of its first lines plus a little (the buffers grow if it is short;
    /// a close estimate keeps the memory that has to be cleared small).
    static func estimatedRows(_ all: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int {
        var p = range.lowerBound
        var lines = 0
        while p < range.upperBound && lines < 64 {
            if all[p] == 0x0A { lines += 1 }
            p += 1
        }
        let sampled = p - range.lowerBound
        guard lines > 0, sampled > 0 else { return 16 }
        return Int(Double(range.count) / Double(sampled) * Double(lines) * 1.05) + 16
    }

    /// The general path: one row through `RowCursor` (quotes, spaces, missing-value tokens, errors) into
    /// row `row`; the number of fields (0 at the end of the input) or the error.
    static func readRow(
        _ cursor: inout RowCursor, row: Int, into columns: ChunkColumns,
        dictionaries: UnsafeMutablePointer<ByteStringDictionary>, kinds: UnsafeMutableBufferPointer<UInt8>,
        slots: UnsafeMutableBufferPointer<Int>, header: [String], source: String
    ) -> Result<Int, TableError> {
        let columnCount = header.count
        do {
            return .success(
                try cursor.readRow { col, field, rowLine in
                    guard col < columnCount else { return }
                    switch kinds[col] {
                    case 1:
                        let cell = field.bytes.trimmingASCIISpaces()
                        if let v = DecimalParser.parse(cell) {
                            if v.isNaN { columns.countMissing(column: col, line: rowLine) }
                            columns.numeric[slots[col]][row] = v
                        } else if MissingValues.isMissing(cell) {
                            columns.countMissing(column: col, line: rowLine)
                            columns.numeric[slots[col]][row] = .nan
                        } else {
                            throw nonNumeric(cell, line: rowLine, column: header[col], source: source)
                        }
                    case 2:
                        let cell = field.quoted ? field.bytes : field.bytes.trimmingASCIISpaces()
                        if !field.quoted && MissingValues.isMissing(cell) {
                            columns.countMissing(column: col, line: rowLine)
                            columns.codes[slots[col]][row] = -1
                        } else {
                            columns.codes[slots[col]][row] = dictionaries[slots[col]].code(for: cell)
                        }
                    default:
                        return
                    }
                })
        } catch let e as TableError {
            return .failure(e)
        } catch let e as CursorError {
            return .failure(e.tableError(source: source, column: e.column < header.count ? header[e.column] : nil))
        } catch {
            return .failure(TableError(.unreadable, file: source, line: cursor.rowLine, "\(error)"))
        }
    }

    static func nonNumeric(_ cell: UnsafeBufferPointer<UInt8>, line: Int, column: String, source: String) -> TableError
    {
        var text = String(decoding: cell, as: UTF8.self)
        if text.count > 40 { text = String(text.prefix(40)) + "…" }
        return TableError(
            .nonNumericValue, file: source, line: line, column: column,
            "'\(text)' is not a number in a numeric column (pass --categorical \(column) if the column holds categories)"
        )
    }
}
