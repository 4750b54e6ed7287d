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
        // transposed into columns once the chunk is parsed.
        var numericSlot = [Int](repeating: -1, count: header.count)
        var categoricalSlot = [Int](repeating: -1, count: header.count)
        var numericCount = 0
        var categoricalCount = 0
        for i in 0..<header.count {
            if types[i] == .numeric {
                numericSlot[i] = numericCount
                numericCount += 1
            }
            if types[i] == .categorical {
                categoricalSlot[i] = categoricalCount
                categoricalCount += 1
            }
        }
        var numericFlat: [Double] = []
        numericFlat.reserveCapacity(estimate * numericCount)
        var codesFlat: [Int32] = []
        codesFlat.reserveCapacity(estimate * categoricalCount)
        var dictionaries = [ByteStringDictionary](repeating: ByteStringDictionary(capacity: 1), count: categoricalCount)
        var missing = [Int](repeating: 0, count: header.count)
        var firstMissing = [Int?](repeating: nil, count: header.count)
        let limited = UnsafeBufferPointer(rebasing: all[0..<range.upperBound])
        var cursor = RowCursor(bytes: limited, position: range.lowerBound, line: line)
        var failure: TableError?
        var rows = 0
        while failure == nil {
            let fields: Int
            do {
                fields = try cursor.readRow { col, field, rowLine in
                    guard col < header.count else { return }
                    switch types[col] {
                    case nil:
                        return
                    case .numeric?:
                        let cell = field.bytes.trimmingASCIISpaces()
                        if let v = DecimalParser.parse(cell) {
                            if v.isNaN {
                                missing[col] += 1
                                if firstMissing[col] == nil { firstMissing[col] = rowLine }
                            }
                            numericFlat.append(v)
                        } else if MissingValues.isMissing(cell) {
                            missing[col] += 1
                            if firstMissing[col] == nil { firstMissing[col] = rowLine }
                            numericFlat.append(.nan)
                        } else {
                            var text = String(decoding: cell, as: UTF8.self)
                            if text.count > 40 { text = String(text.prefix(40)) + "…" }
                            throw TableError(
                                .nonNumericValue, file: source, line: rowLine, column: header[col],
                                "'\(text)' is not a number in a numeric column (pass --categorical \(header[col]) if the column holds categories)")
                        }
                    case .categorical?:
                        let cell = field.quoted ? field.bytes : field.bytes.trimmingASCIISpaces()
                        if !field.quoted && MissingValues.isMissing(cell) {
                            missing[col] += 1
                            if firstMissing[col] == nil { firstMissing[col] = rowLine }
                            codesFlat.append(-1)
                        } else {
                            codesFlat.append(dictionaries[categoricalSlot[col]].code(for: cell))
                        }
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
            if fields != header.count {
                failure = TableError(
                    .raggedRow, file: source, line: cursor.rowLine,
                    "the row has \(fields) field\(fields == 1 ? "" : "s"), the header has \(header.count)")
                break
            }
            rows += 1
        }
        if let failure { return .failure(failure) }
        for i in 0..<header.count {
            if numericSlot[i] >= 0 {
                out.numeric[i] = transpose(numericFlat, column: numericSlot[i], stride: numericCount, rows: rows)
            }
            if categoricalSlot[i] >= 0 {
                out.codes[i] = transpose(codesFlat, column: categoricalSlot[i], stride: categoricalCount, rows: rows)
                out.dictionaries[i] = dictionaries[categoricalSlot[i]]
            }
            out.missing[i] = missing[i]
            if let m = firstMissing[i] { out.firstMissingLine[i] = m }
        }
        out.rows = rows
        out.endPosition = cursor.position
        out.endLine = cursor.line
        return .success(out)
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
