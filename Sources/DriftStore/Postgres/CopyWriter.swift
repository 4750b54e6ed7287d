import CLibPQ

/// Writes the data of a `COPY … FROM STDIN` in PostgreSQL's text format: fields separated by tabs,
/// rows ended by newlines, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
/// Data is buffered and sent with `PQputCopyData` in 256 KiB pieces (lengths in UTF-8 bytes).
public struct CopyWriter {
    let connection: OpaquePointer
    let purpose: String
    var buffer: [UInt8] = []
    var fieldsInRow = 0
    /// Rows ended so far.
    public private(set) var rows = 0
    static let flushThreshold = 256 * 1024

    init(connection: OpaquePointer, purpose: String) {
        self.connection = connection
        self.purpose = purpose
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends a text field (escaped), or NULL for nil.
    public mutating func field(_ value: String?) {
        separate()
        guard let value else {
            buffer.append(contentsOf: [0x5C, 0x4E])  // \N
            return
        }
        for byte in value.utf8 {
            switch byte {
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            default: buffer.append(byte)
            }
        }
    }

    /// Appends an integer field.
    public mutating func field(_ value: Int) {
        separate()
        buffer.append(contentsOf: String(value).utf8)
    }

    /// Appends a float8 field (shortest round-trip; NaN and infinities as PostgreSQL spells them).
    public mutating func field(_ value: Double?) {
        guard let value else { return field(nil as String?) }
        separate()
        buffer.append(contentsOf: PostgresParameter.postgresDouble(value).utf8)
    }

    /// Appends a `float8[]` field (`{1.5,2,NaN}`).
    public mutating func field(_ values: [Double]) {
        separate()
        buffer.append(0x7B)
        for (i, v) in values.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            buffer.append(contentsOf: PostgresParameter.postgresDouble(v).utf8)
        }
        buffer.append(0x7D)
    }

    /// Ends the current row; sends the buffer when it is large.
    public mutating func endRow() throws {
        buffer.append(0x0A)
        fieldsInRow = 0
        rows += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    mutating func separate() {
        if fieldsInRow > 0 { buffer.append(0x09) }
        fieldsInRow += 1
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBytes { bytes in
            PQputCopyData(connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1 else {
            throw PostgresError(
                .copy, purpose: purpose, message: PostgresError.trimmed(String(cString: PQerrorMessage(connection))))
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
