import Dispatch

/// Reads RFC 4180 CSV (comma separated, one header row, `"` quoting with `""` escapes, newlines inside
/// quotes, LF or CRLF line ends, an optional UTF-8 byte-order mark, blank lines skipped) into columns.
///
/// Column types: a column listed in `TableReadOptions.types` or `.categorical` has that type; otherwise
/// it is numeric when its first `typeSniffValues` non-missing values all parse as numbers, categorical
/// otherwise. A later value that does not parse in a numeric column is an error naming its line.
/// Large inputs are split at row boundaries and parsed on several threads; O(bytes).
package enum CSVReader {
    /// Parses `bytes` (the whole file). `source` names the file in errors.
    package static func read(
        bytes: [UInt8], source: String, options: TableReadOptions = TableReadOptions()
    ) throws
        -> Table
    {
        try bytes.withUnsafeBufferPointer { buffer in
            try read(buffer, source: source, options: options)
        }
    }

    /// Parses the bytes of a whole file held elsewhere (e.g. mapped into memory).
    package static func read(
        _ all: UnsafeBufferPointer<UInt8>, source: String, options: TableReadOptions
    ) throws
        -> Table
    {
        try readColumns(all, source: source, options: options).table()
    }

    /// `read(_:source:options:)`, with numeric columns left in the runs the parsing threads filled.
    package static func readColumns(
        _ all: UnsafeBufferPointer<UInt8>, source: String, options: TableReadOptions
    ) throws
        -> ReadColumns
    {
        var start = 0
        if all.count >= 3, all[0] == 0xEF, all[1] == 0xBB, all[2] == 0xBF { start = 3 }
        // Skip leading blank lines before the header.
        var line = 1
        while start < all.count, all[start] == 0x0A || all[start] == 0x0D {
            if all[start] == 0x0A { line += 1 }
            start += 1
        }
        guard start < all.count else {
            throw TableError(.emptyFile, file: source, "the file is empty (no header row)")
        }
        var cursor = RowCursor(bytes: all, position: start, line: line)
        var header: [String] = []
        do {
            try cursor.readRow { _, field, _ in header.append(String(decoding: field.bytes, as: UTF8.self)) }
        } catch let e as CursorError {
            throw e.tableError(source: source, column: nil)
        }
        header = header.map { $0.trimmingASCIISpaces() }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw TableError(
                .duplicateColumn, file: source, line: line, column: name, "the header names this column twice")
        }
        let dataStart = cursor.position
        let dataLine = cursor.line

        let wanted = header.map { options.columns?.contains($0) ?? true }
        let types = try decideTypes(
            all, from: dataStart, line: dataLine, header: header, wanted: wanted, options: options,
            source: source)

        let chunks = ChunkSplitter.split(all, from: dataStart, line: dataLine, threads: options.maxThreads)
        let results = ResultSlots<ChunkResult>(count: chunks.count)
        let shared = SharedBytes(buffer: all)
        let columnNames = header
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            let chunk = chunks[i]
            results[i] = ChunkParser.parse(
                shared.buffer, range: chunk.start..<chunk.end, line: chunk.line, header: columnNames, types: types,
                wanted: wanted,
                source: source, plainRows: options.plainRowFastPath)
        }
        var parts: [ParsedChunk] = []
        var failed = false
        var base = dataLine
        for result in results.values {
            guard case .success(var part)? = result else {
                failed = true
                break
            }
            if chunks.count > 1 {
                // Runs after the first counted lines from 1.
                if !parts.isEmpty { part.shiftLines(by: base - 1) }
                base = parts.isEmpty ? part.endLine : base + part.endLine - 1
            }
            parts.append(part)
        }
        if failed {
            // A failed run is either a real error or a split inside a quoted field: one sequential
            // parse tells which, and gives the error its true line.
            switch ChunkParser.parse(
                all, range: dataStart..<all.count, line: dataLine, header: header, types: types, wanted: wanted,
                source: source, plainRows: options.plainRowFastPath)
            {
            case .success(let whole): parts = [whole]
            case .failure(let e): throw e
            }
        }
        let table = ColumnAssembler.assemble(parts, header: header, types: types, wanted: wanted, source: source)
        guard table.rowCount > 0 else {
            throw TableError(.noRows, file: source, line: dataLine, "the file has a header but no data rows")
        }
        return table
    }

    /// Type per column (nil for columns not wanted).
    static func decideTypes(
        _ all: UnsafeBufferPointer<UInt8>, from start: Int, line: Int, header: [String], wanted: [Bool],
        options: TableReadOptions, source: String
    ) throws -> [ColumnType?] {
        var types = [ColumnType?](repeating: nil, count: header.count)
        var undecided = Set<Int>()
        for (i, name) in header.enumerated() where wanted[i] {
            if let t = options.types[name] {
                types[i] = t
            } else if options.categorical.contains(name) {
                types[i] = .categorical
            } else {
                undecided.insert(i)
            }
        }
        guard !undecided.isEmpty else { return types }
        var seenValues = [Int](repeating: 0, count: header.count)
        var numeric = [Bool](repeating: true, count: header.count)
        var cursor = RowCursor(bytes: all, position: start, line: line)
        var rows = 0
        while !cursor.atEnd, rows < 100_000, !undecided.isEmpty {
            do {
                try cursor.readRow { col, field, _ in
                    guard col < header.count, undecided.contains(col), seenValues[col] < options.typeSniffValues else {
                        return
                    }
                    let trimmed = field.bytes.trimmingASCIISpaces()
                    if MissingValues.isMissing(trimmed) { return }
                    seenValues[col] += 1
                    if DecimalParser.parse(trimmed) == nil { numeric[col] = false }
                    if seenValues[col] >= options.typeSniffValues || !numeric[col] { undecided.remove(col) }
                }
            } catch {
                break  // the full parse reports it with its line
            }
            rows += 1
        }
        for i in header.indices where wanted[i] && types[i] == nil {
            types[i] = numeric[i] ? .numeric : .categorical
        }
        return types
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = count
        while lo < hi, self[lo] == 0x20 || self[lo] == 0x09 { lo += 1 }
        while hi > lo, self[hi - 1] == 0x20 || self[hi - 1] == 0x09 { hi -= 1 }
        return UnsafeBufferPointer(rebasing: self[lo..<hi])
    }
}

/// Slots for results written by `DispatchQueue.concurrentPerform` iterations, one index each, in memory
/// allocated up front: an iteration writes its own slot through the pointer (no shared array is mutated).
/// `@unchecked Sendable`: every index is written by exactly one iteration of `concurrentPerform`, and
/// read only after it returns (its completion orders the writes before the reads).
package final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    package init(count: Int) {
        self.count = max(0, count)
        slots = UnsafeMutablePointer<T?>.allocate(capacity: self.count)
        slots.initialize(repeating: nil, count: self.count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    package subscript(i: Int) -> T? {
        get {
            precondition(i >= 0 && i < count, "result slot out of range")
            return slots[i]
        }
        set {
            precondition(i >= 0 && i < count, "result slot out of range")
            slots[i] = newValue
        }
    }

    package var values: [T?] { Array(UnsafeBufferPointer(start: slots, count: count)) }
}
