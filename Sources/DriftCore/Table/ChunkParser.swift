/// The columns parsed from one chunk of rows.
struct ParsedChunk {
    var numeric: [Int: [Double]] = [:]
    var codes: [Int: [Int32]] = [:]
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
        wanted: [Bool], source: String
    ) -> ChunkResult {
        var out = ParsedChunk()
        let estimate = max(16, range.count / max(1, header.count * 8))
        // Row-major flat storage for the hot loop (one array per kind, no nested arrays to keep unique),
        // transposed into columns once the chunk is parsed. Per-column lookups go through buffers owned by
        // this chunk: arrays shared with the other parsing threads would be retained and released per
        // cell, and their reference counts would bounce between cores.
        let columnCount = header.count
        let kinds = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, columnCount))  // 0 skip, 1 num, 2 cat
        let slots = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, columnCount))
        let missing = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, columnCount))
        let firstMissing = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, columnCount))  // 0: none
        defer {
            kinds.deallocate()
            slots.deallocate()
            missing.deallocate()
            firstMissing.deallocate()
        }
        var numericCount = 0
        var categoricalCount = 0
        for i in 0..<columnCount {
            missing[i] = 0
            firstMissing[i] = 0
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
        var numericFlat: [Double] = []
        numericFlat.reserveCapacity(estimate * numericCount)
        var codesFlat: [Int32] = []
        codesFlat.reserveCapacity(estimate * categoricalCount)
        var dictionaries = [ByteStringDictionary](repeating: ByteStringDictionary(capacity: 1), count: categoricalCount)
        let limited = UnsafeBufferPointer(rebasing: all[0..<range.upperBound])
        var cursor = RowCursor(bytes: limited, position: range.lowerBound, line: line)
        var failure: TableError?
        var rows = 0
        while failure == nil {
            let fields: Int
            do {
                fields = try cursor.readRow { col, field, rowLine in
                    guard col < columnCount else { return }
                    switch kinds[col] {
                    case 1:
                        let cell = field.bytes.trimmingASCIISpaces()
                        if let v = DecimalParser.parse(cell) {
                            if v.isNaN {
                                missing[col] += 1
                                if firstMissing[col] == 0 { firstMissing[col] = rowLine }
                            }
                            numericFlat.append(v)
                        } else if MissingValues.isMissing(cell) {
                            missing[col] += 1
                            if firstMissing[col] == 0 { firstMissing[col] = rowLine }
                            numericFlat.append(.nan)
                        } else {
                            throw nonNumeric(cell, line: rowLine, column: header[col], source: source)
                        }
                    case 2:
                        let cell = field.quoted ? field.bytes : field.bytes.trimmingASCIISpaces()
                        if !field.quoted && MissingValues.isMissing(cell) {
                            missing[col] += 1
                            if firstMissing[col] == 0 { firstMissing[col] = rowLine }
                            codesFlat.append(-1)
                        } else {
                            codesFlat.append(dictionaries[slots[col]].code(for: cell))
                        }
                    default:
                        return
                    }
                }
            } catch let e as TableError {
                failure = e
                break
            } catch let e as CursorError {
                failure = e.tableError(source: source, column: e.column < header.count ? header[e.column] : nil)
                break
            } catch {
                failure = TableError(.unreadable, file: source, line: cursor.rowLine, "\(error)")
                break
            }
            if fields == 0 { break }
            if fields != columnCount {
                failure = TableError(
                    .raggedRow, file: source, line: cursor.rowLine,
                    "the row has \(fields) field\(fields == 1 ? "" : "s"), the header has \(header.count)")
                break
            }
            rows += 1
        }
        if let failure { return .failure(failure) }
        for i in 0..<columnCount {
            if kinds[i] == 1 {
                out.numeric[i] = transpose(numericFlat, column: slots[i], stride: numericCount, rows: rows)
            }
            if kinds[i] == 2 {
                out.codes[i] = transpose(codesFlat, column: slots[i], stride: categoricalCount, rows: rows)
                out.dictionaries[i] = dictionaries[slots[i]]
            }
            out.missing[i] = missing[i]
            if firstMissing[i] > 0 { out.firstMissingLine[i] = firstMissing[i] }
        }
        out.rows = rows
        out.endPosition = cursor.position
        out.endLine = cursor.line
        return .success(out)
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

    /// Column `column` of a row-major flat array with `stride` values per row.
    static func transpose<T>(_ flat: [T], column: Int, stride: Int, rows: Int) -> [T] {
        flat.withUnsafeBufferPointer { f in
            [T](unsafeUninitializedCapacity: rows) { buffer, initialized in
                var k = column
                for r in 0..<rows {
                    buffer.initializeElement(at: r, to: f[k])
                    k += stride
                }
                initialized = rows
            }
        }
    }
}
