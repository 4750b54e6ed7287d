/// The chunk parser's fast path: reads one row in a single pass when every field is plain — unquoted,
/// without surrounding spaces, a decimal number (or empty) in a numeric column — scanning each number
/// while parsing it instead of finding the field's end first.
///
/// Anything else (a quote, a space at either end of a field, `NA`/`inf`/`nan` spelled out, a number only
/// the slow path can round, a blank line, a ragged row, a lone CR) makes it give the row up; the caller
/// then reads that row with `RowCursor`, which overwrites whatever was written for the row and reports
/// errors with their line and column. A row read here therefore yields exactly what the general path
/// would: the same numbers (`DecimalParser.parsePrefix` rounds as `parse`), the same category codes in
/// the same order, the same missing cells.
struct PlainRowParser {
    /// The chunk's bytes (ending where the chunk ends).
    let bytes: UnsafeBufferPointer<UInt8>
    /// Per header column: 0 not wanted, 1 numeric, 2 categorical.
    let kinds: UnsafeBufferPointer<UInt8>
    /// Per header column: its index among the numeric or the categorical columns.
    let slots: UnsafeBufferPointer<Int>
    let columnCount: Int
    /// Scratch: header columns of the current row with a missing cell, applied when the row succeeds.
    let pendingMissing: UnsafeMutablePointer<Int>

    /// Reads the row starting at `start` (on line `line`) into row `row` of `columns`. Returns the
    /// position after its line end, or nil when the row is not plain (nothing is counted then).
    @inline(__always)
    func parse(
        at start: Int, line: Int, row: Int, into columns: ChunkColumns,
        dictionaries: UnsafeMutablePointer<ByteStringDictionary>
    ) -> Int? {
        let n = bytes.count
        guard start < n, bytes[start] != 0x0A, bytes[start] != 0x0D else { return nil }
        var p = start
        var pending = 0
        let last = columnCount - 1
        var column = 0
        while true {
            switch kinds[column] {
            case 1:
                if p >= n || Self.endsField(bytes[p]) {
                    columns.numeric[slots[column]][row] = .nan
                    pendingMissing[pending] = column
                    pending &+= 1
                } else {
                    guard let value = DecimalParser.parsePrefix(bytes, at: &p) else { return nil }
                    columns.numeric[slots[column]][row] = value
                }
            case 2:
                guard p >= n || bytes[p] != 0x22 else { return nil }
                let fieldStart = p
                p = skipField(from: p)
                let cell = UnsafeBufferPointer(rebasing: bytes[fieldStart..<p])
                if let first = cell.first, let final = cell.last,
                    first == 0x20 || first == 0x09 || final == 0x20 || final == 0x09
                {
                    return nil
                }
                if Self.mayBeMissing(cell) && MissingValues.isMissing(cell) {
                    columns.codes[slots[column]][row] = -1
                    pendingMissing[pending] = column
                    pending &+= 1
                } else {
                    columns.codes[slots[column]][row] = dictionaries[slots[column]].code(for: cell)
                }
            default:
                guard p >= n || bytes[p] != 0x22 else { return nil }
                p = skipField(from: p)
            }
            if column == last {
                let end: Int
                if p >= n {
                    end = p
                } else if bytes[p] == 0x0A {
                    end = p + 1
                } else if bytes[p] == 0x0D, p + 1 < n, bytes[p + 1] == 0x0A {
                    end = p + 2
                } else {
                    return nil
                }
                for k in 0..<pending { columns.countMissing(column: pendingMissing[k], line: line) }
                return end
            }
            guard p < n, bytes[p] == 0x2C else { return nil }
            p &+= 1
            column &+= 1
        }
    }

    /// False when `cell` cannot be a missing-value token (none is longer than 8 bytes, and each starts
    /// with one of `#-1<Nn`): the common case skips the token comparison.
    @inline(__always)
    static func mayBeMissing(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = cell.first, cell.count <= 8 else { return cell.isEmpty }
        return first == 0x23 || first == 0x2D || first == 0x31 || first == 0x3C || first == 0x4E || first == 0x6E
    }

    /// Whether `byte` ends an unquoted field: a comma, LF or CR.
    @inline(__always)
    static func endsField(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x0A || byte == 0x0D
    }

    /// The position of the comma, LF or CR that ends the unquoted field starting at `p` (or the end).
    @inline(__always)
    func skipField(from start: Int) -> Int {
        var p = start
        let n = bytes.count
        while p < n && !Self.endsField(bytes[p]) { p &+= 1 }
        return p
    }
}
