import CLibPQ

/// One row of a binary `COPY … TO STDOUT`: its fields read in order (PostgreSQL's binary COPY format,
/// https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4). Every length is checked against the
/// bytes the server sent: a malformed answer is a `PostgresError` (`decoding`), never a trap.
package struct BinaryCopyRow: ~Copyable {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    let purpose: String

    /// The next field's bytes, nil for NULL.
    mutating func field() throws -> UnsafeRawBufferPointer? {
        let length = try int32()
        guard length >= 0 else { return nil }
        return try take(Int(length))
    }

    /// The next field as an int8, nil for NULL.
    package mutating func int64() throws -> Int64? {
        guard let b = try field() else { return nil }
        guard b.count == 8 else { throw malformed("an int8 of \(b.count) bytes") }
        return Self.int64(b, at: 0)
    }

    /// The next field as a timestamptz, in µs since the Unix epoch; nil for NULL.
    package mutating func timestamp() throws -> Int64? {
        try int64().map { $0.addingSaturating(BinaryCopyWriter.postgresEpochMicroseconds) }
    }

    /// The next field as a float8, nil for NULL.
    package mutating func double() throws -> Double? {
        try int64().map { Double(bitPattern: UInt64(bitPattern: $0)) }
    }

    /// The next field as text, nil for NULL.
    package mutating func text() throws -> String? {
        try field().map { String(decoding: $0, as: UTF8.self) }
    }

    /// The next field as a one-dimensional float8[] (an empty array for NULL), NULL elements as nil.
    package mutating func doubles() throws -> [Double?] {
        let purpose = self.purpose
        return try array { b in
            guard b.count == 8 else {
                throw PostgresError(
                    .decoding, purpose: purpose, message: "malformed binary COPY data: a float8 of \(b.count) bytes")
            }
            return Double(bitPattern: UInt64(bitPattern: Self.int64(b, at: 0)))
        }
    }

    /// The next field as a one-dimensional text[] (an empty array for NULL), NULL elements as nil.
    package mutating func texts() throws -> [String?] {
        try array { String(decoding: $0, as: UTF8.self) }
    }

    /// An array's elements: `ndim`, flags, element type, then (size, lower bound) per dimension, then
    /// each element's length (−1: NULL) and bytes. Only 0 or 1 dimensions are expected.
    mutating func array<T>(_ element: (UnsafeRawBufferPointer) throws -> T) throws -> [T?] {
        guard let b = try field() else { return [] }
        var inner = BinaryCopyRow(bytes: b, offset: 0, purpose: purpose)
        let dimensions = try inner.int32()
        _ = try inner.int32()  // has-nulls flag
        _ = try inner.int32()  // element type
        guard dimensions == 0 || dimensions == 1 else { throw malformed("an array of \(dimensions) dimensions") }
        guard dimensions == 1 else { return [] }
        let count = try inner.int32()
        _ = try inner.int32()  // lower bound
        guard count >= 0, Int(count) <= b.count / 4 else { throw malformed("an array of \(count) elements") }
        var out: [T?] = []
        out.reserveCapacity(Int(count))
        for _ in 0..<count {
            out.append(try inner.field().map(element))
        }
        return out
    }

    mutating func int32() throws -> Int32 {
        let b = try take(4)
        return Int32(bitPattern: UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3]))
    }

    mutating func int16() throws -> Int16 {
        let b = try take(2)
        return Int16(bitPattern: UInt16(b[0]) << 8 | UInt16(b[1]))
    }

    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= bytes.count - offset else { throw malformed("a field past the end of its row") }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
        offset += n
        return slice
    }

    static func int64(_ b: UnsafeRawBufferPointer, at i: Int) -> Int64 {
        var v: UInt64 = 0
        for k in 0..<8 { v = v << 8 | UInt64(b[i + k]) }
        return Int64(bitPattern: v)
    }

    func malformed(_ what: String) -> PostgresError {
        PostgresError(.decoding, purpose: purpose, message: "malformed binary COPY data: \(what)")
    }
}

extension PostgresConnection {
    /// Runs `sql` (a `COPY (…) TO STDOUT (FORMAT binary)`; COPY takes no parameters, so the statement must
    /// carry its values itself) and calls `row` with each row as it arrives, so a result of any size is read
    /// in bounded memory; `onStart` runs once the statement has its snapshot, before the first row is read.
    /// Returns the number of rows.
    package func copyOutBinary(
        _ sql: String, purpose: String, onStart: () throws -> Void = {},
        _ row: (inout BinaryCopyRow) throws -> Void
    ) throws -> Int {
        let start = try execParams(sql, [], purpose: purpose, expect: PGRES_COPY_OUT)
        PQclear(start)
        var rows = 0
        var headerRead = false
        do {
            try onStart()
            while true {
                var buffer: UnsafeMutablePointer<CChar>?
                let length = PQgetCopyData(handle, &buffer, 0)
                if length == -1 { break }
                guard length >= 0, let buffer else {
                    throw PostgresError(
                        .copy, purpose: purpose, message: PostgresError.trimmed(String(cString: PQerrorMessage(handle)))
                    )
                }
                defer { PQfreemem(buffer) }
                let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(length))
                var message = BinaryCopyRow(bytes: bytes, offset: 0, purpose: purpose)
                if !headerRead {
                    // "PGCOPY\n\377\r\n\0", flags, header extension length (and that many bytes).
                    _ = try message.take(11)
                    _ = try message.int32()
                    _ = try message.take(Int(try message.int32()))
                    headerRead = true
                }
                while message.offset < bytes.count {
                    let fields = try message.int16()
                    if fields == -1 { break }  // the trailer
                    try row(&message)
                    rows += 1
                }
            }
        } catch {
            abandonCopyOut()
            throw error
        }
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil {
                failure = PostgresError.from(result: result, connection: handle, purpose: purpose)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return rows
    }

    /// Ends a COPY OUT early: asks the server to cancel it, discards what is still coming, and reads the
    /// results, so the connection is usable again (or reported broken by its next statement).
    func abandonCopyOut() {
        if let cancel = PQgetCancel(handle) {
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &message, Int32(message.count))
            PQfreeCancel(cancel)
        }
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if let buffer { PQfreemem(buffer) }
            if length < 0 { break }
        }
        drainResults()
    }
}
