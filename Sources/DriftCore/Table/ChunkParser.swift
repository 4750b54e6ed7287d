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
        // Flat per-column storage for the hot loop (dictionary lookups per cell would dominate).
        var numericColumns = [[Double]](repeating: [], count: header.count)
        var codeColumns = [[Int32]](repeating: [], count: header.count)
        var dictionaries = [ByteStringDictionary?](repeating: nil, count: header.count)
        var missing = [Int](repeating: 0, count: header.count)
        var firstMissing = [Int?](repeating: nil, count: header.count)
        for i in 0..<header.count {
            if types[i] == .numeric { numericColumns[i].reserveCapacity(estimate) }
            if types[i] == .categorical {
                codeColumns[i].reserveCapacity(estimate)
                dictionaries[i] = ByteStringDictionary()
            }
        }
        let limited = UnsafeBufferPointer(rebasing: all[0..<range.upperBound])
        var cursor = RowCursor(bytes: limited, position: range.lowerBound, line: line)
        var failure: TableError?
        var rows = 0
        while failure == nil {
            let fields: Int
            do {
                fields = try cursor.readRow { col, field, rowLine in
                    guard col < header.count, let type = types[col] else { return }
                    switch type {
                    case .numeric:
                        let cell = field.bytes.trimmingASCIISpaces()
                        if let v = DecimalParser.parse(cell) {
                            if v.isNaN {
                                missing[col] += 1
                                if firstMissing[col] == nil { firstMissing[col] = rowLine }
                            }
                            numericColumns[col].append(v)
                        } else if MissingValues.isMissing(cell) {
                            missing[col] += 1
                            if firstMissing[col] == nil { firstMissing[col] = rowLine }
                            numericColumns[col].append(.nan)
                        } else {
                            var text = String(decoding: cell, as: UTF8.self)
                            if text.count > 40 { text = String(text.prefix(40)) + "…" }
                            throw TableError(
                                .nonNumericValue, file: source, line: rowLine, column: header[col],
                                "'\(text)' is not a number in a numeric column (pass --categorical \(header[col]) if the column holds categories)")
                        }
                    case .categorical:
                        let cell = field.quoted ? field.bytes : field.bytes.trimmingASCIISpaces()
                        if !field.quoted && MissingValues.isMissing(cell) {
                            missing[col] += 1
                            if firstMissing[col] == nil { firstMissing[col] = rowLine }
                            codeColumns[col].append(-1)
                        } else {
                            codeColumns[col].append(dictionaries[col]?.code(for: cell) ?? -1)
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
            if types[i] == .numeric { out.numeric[i] = numericColumns[i] }
            if types[i] == .categorical {
                out.codes[i] = codeColumns[i]
                out.dictionaries[i] = dictionaries[i]
            }
            out.missing[i] = missing[i]
            if let m = firstMissing[i] { out.firstMissingLine[i] = m }
        }
        out.rows = rows
        out.endPosition = cursor.position
        out.endLine = cursor.line
        return .success(out)
    }
}
