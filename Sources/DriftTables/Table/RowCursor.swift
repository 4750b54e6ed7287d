/// One field as the cursor found it: its bytes (quotes removed, `""` unescaped) and whether it was quoted.
struct CSVField {
    var bytes: UnsafeBufferPointer<UInt8>
    var quoted: Bool
}

/// A `TableError` found by the cursor before it knows the file name and the header: its code, message,
/// line and 0-based column index. Never leaves DriftTables (`tableError(source:column:)` completes it).
struct CursorError: Error {
    let code: TableError.Code
    let message: String
    let line: Int
    let column: Int

    /// A quoted field that is never closed.
    static func unterminatedQuote(line: Int, column: Int) -> CursorError {
        CursorError(
            code: .unterminatedQuote, message: "a quoted field is never closed (missing \")", line: line, column: column
        )
    }

    /// Text after the closing quote of a field.
    static func textAfterQuote(line: Int, column: Int) -> CursorError {
        CursorError(
            code: .unterminatedQuote,
            message: "text follows a closing quote (write a quote inside a quoted field as \"\")", line: line,
            column: column)
    }

    /// The error about `source`, naming the column `name`.
    func tableError(source: String, column name: String?) -> TableError {
        TableError(code, file: source, line: line, column: name, message)
    }
}

/// Walks CSV rows over a byte buffer. Reusable scratch space holds unescaped quoted fields.
struct RowCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    /// Physical line (1-based) of `position`.
    var line: Int
    /// Line on which the last row read started.
    var rowLine = 0
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int, line: Int) {
        self.bytes = bytes
        self.position = position
        self.line = line
    }

    var atEnd: Bool { position >= bytes.count }

    /// Skips blank lines; `false` at the end of the input.
    mutating func skipBlankLines() -> Bool {
        while position < bytes.count {
            let b = bytes[position]
            if b == 0x0A {
                line += 1
                position += 1
            } else if b == 0x0D {
                position += 1
            } else {
                return true
            }
        }
        return false
    }

    /// Reads one row, calling `field(columnIndex, field)` for each field; returns the number of fields
    /// (0 at the end of input); `rowLine` is the line the row starts on. Blank lines are skipped.
    @discardableResult
    mutating func readRow(_ field: (_ column: Int, _ field: CSVField, _ rowLine: Int) throws -> Void) throws -> Int {
        guard skipBlankLines() else { return 0 }
        rowLine = line
        var column = 0
        let n = bytes.count
        while true {
            if position < n && bytes[position] == 0x22 {
                // Quoted field.
                position += 1
                let start = position
                var needsUnescape = false
                var closed = false
                while position < n {
                    let b = bytes[position]
                    if b == 0x22 {
                        if position + 1 < n && bytes[position + 1] == 0x22 {
                            needsUnescape = true
                            position += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if b == 0x0A { line += 1 }
                    position += 1
                }
                guard closed else { throw CursorError.unterminatedQuote(line: rowLine, column: column) }
                let end = position
                position += 1  // the closing quote
                if position < n, bytes[position] != 0x2C, bytes[position] != 0x0A, bytes[position] != 0x0D {
                    throw CursorError.textAfterQuote(line: line, column: column)
                }
                if needsUnescape {
                    scratch.removeAll(keepingCapacity: true)
                    var i = start
                    while i < end {
                        scratch.append(bytes[i])
                        i += bytes[i] == 0x22 ? 2 : 1
                    }
                    try scratch.withUnsafeBufferPointer {
                        try field(column, CSVField(bytes: $0, quoted: true), rowLine)
                    }
                } else {
                    try field(
                        column, CSVField(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]), quoted: true),
                        rowLine)
                }
            } else {
                let start = position
                while position < n {
                    let b = bytes[position]
                    if b == 0x2C || b == 0x0A || b == 0x0D { break }
                    position += 1
                }
                try field(
                    column, CSVField(bytes: UnsafeBufferPointer(rebasing: bytes[start..<position]), quoted: false),
                    rowLine)
            }
            column += 1
            if position >= n { return column }
            let b = bytes[position]
            position += 1
            if b == 0x2C {
                if position >= n {
                    // A trailing comma at the very end: one more, empty field.
                    try field(
                        column, CSVField(bytes: UnsafeBufferPointer(rebasing: bytes[n..<n]), quoted: false), rowLine)
                    return column + 1
                }
                continue
            }
            if b == 0x0D, position < n, bytes[position] == 0x0A { position += 1 }
            line += 1
            return column
        }
    }
}
