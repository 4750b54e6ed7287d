import CLibPQ

/// Writes the data of a `COPY … FROM STDIN (FORMAT binary)`: PostgreSQL's binary COPY format (the
/// `PGCOPY` signature header, then per row a 16-bit field count and per field a 32-bit length — -1 for
/// NULL — and the value in the type's binary send format, big-endian; a -1 field count ends the data).
/// The server parses nothing, so numbers and arrays load much faster than in text COPY.
/// Data is buffered and sent with `PQputCopyData` in 256 KiB pieces.
package struct BinaryCopyWriter {
    let connection: OpaquePointer
    let purpose: String
    var buffer: [UInt8] = []
    var rowStart = 0
    var rowOpen = false
    var fieldsInRow: Int16 = 0
    /// Rows ended so far.
    package private(set) var rows = 0
    static let flushThreshold = 256 * 1024
    /// PostgreSQL's epoch (2000-01-01) in microseconds after the Unix epoch.
    static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000
    static let float8OID: Int32 = 701
    static let textOID: Int32 = 25

    init(connection: OpaquePointer, purpose: String) {
        self.connection = connection
        self.purpose = purpose
        buffer.reserveCapacity(Self.flushThreshold + 8192)
        buffer.append(contentsOf: Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00])
        append(Int32(0))  // flags
        append(Int32(0))  // header extension length
    }

    /// A `bigint` field.
    package mutating func int8(_ value: Int64) {
        field(length: 8)
        append(value)
    }

    /// A `text` field (UTF-8), or NULL.
    package mutating func text(_ value: String?) {
        guard var text = value else { return null() }
        text.withUTF8 { bytes in
            field(length: Int32(bytes.count))
            buffer.append(contentsOf: bytes)
        }
    }

    /// A `float8` field, or NULL.
    package mutating func float8(_ value: Double?) {
        guard let value else { return null() }
        field(length: 8)
        append(value.bitPattern)
    }

    /// A `boolean` field, or NULL.
    package mutating func bool(_ value: Bool?) {
        guard let value else { return null() }
        field(length: 1)
        buffer.append(value ? 1 : 0)
    }

    /// A `timestamptz` field from microseconds since the Unix epoch.
    package mutating func timestamptz(microseconds: Int64) {
        field(length: 8)
        append(microseconds - Self.postgresEpochMicroseconds)
    }

    /// A one-dimensional `float8[]` field (nil elements are NULL), or NULL.
    package mutating func float8Array(_ values: [Double?]?) {
        guard let values else { return null() }
        let nulls = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        let length = 20 + (values.count - nulls) * 12 + nulls * 4
        field(length: Int32(length))
        arrayHeader(count: values.count, hasNull: nulls > 0, elementOID: Self.float8OID)
        for v in values {
            if let v {
                append(Int32(8))
                append(v.bitPattern)
            } else {
                append(Int32(-1))
            }
        }
    }

    /// A one-dimensional `text[]` field (nil elements are NULL).
    package mutating func textArray(_ values: [String?]) {
        var length = 20
        for v in values { length += 4 + (v?.utf8.count ?? 0) }
        field(length: Int32(length))
        arrayHeader(count: values.count, hasNull: values.contains { $0 == nil }, elementOID: Self.textOID)
        for v in values {
            if var v {
                v.withUTF8 { bytes in
                    append(Int32(bytes.count))
                    buffer.append(contentsOf: bytes)
                }
            } else {
                append(Int32(-1))
            }
        }
    }

    /// A NULL field.
    package mutating func null() {
        field(length: -1)
    }

    /// Ends the row; sends the buffer when it is large.
    package mutating func endRow() throws {
        if !rowOpen { beginRow() }
        let count = UInt16(bitPattern: fieldsInRow)
        buffer[rowStart] = UInt8(count >> 8)
        buffer[rowStart + 1] = UInt8(count & 0xFF)
        rowOpen = false
        rows += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Starts a row with a placeholder field count, patched by `endRow`.
    mutating func beginRow() {
        rowStart = buffer.count
        buffer.append(0)
        buffer.append(0)
        fieldsInRow = 0
        rowOpen = true
    }

    /// Appends the trailer and sends everything. A row left open is an error.
    mutating func finish() throws {
        guard !rowOpen else {
            throw PostgresError(.copy, purpose: purpose, message: "a COPY row was not ended")
        }
        append(Int16(-1))
        try flush()
    }

    mutating func field(length: Int32) {
        if !rowOpen { beginRow() }
        fieldsInRow += 1
        append(length)
    }

    mutating func arrayHeader(count: Int, hasNull: Bool, elementOID: Int32) {
        append(Int32(1))  // dimensions
        append(Int32(hasNull ? 1 : 0))
        append(elementOID)
        append(Int32(count))
        append(Int32(1))  // lower bound
    }

    @inline(__always)
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Sends the buffer (only whole rows are ever in it when this runs).
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
