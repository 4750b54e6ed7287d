import PostgresDriver

/// How far each followed log file has been read (`tail_offsets`), per model and kind of line. A file is
/// known by its identity — device and inode, so a renamed file keeps its place — and a fingerprint of its
/// first bytes tells a reused inode or a rewritten file from the one that was read (blocking calls: run them
/// inside `PostgresPool.withConnection`).
package enum TailOffsetStore {
    /// A followed file: the model and kind of lines it feeds, and the file's device and inode.
    package struct Key: Sendable, Hashable, CustomStringConvertible {
        package var modelID: Int64
        /// `predictions` or `labels`.
        package var kind: String
        package var device: UInt64
        package var inode: UInt64

        package init(modelID: Int64, kind: String, device: UInt64, inode: UInt64) {
            self.modelID = modelID
            self.kind = kind
            self.device = device
            self.inode = inode
        }

        package var description: String { "model \(modelID) \(kind) file \(device):\(inode)" }

        var parameters: [PostgresParameter] {
            [
                .int(Int(modelID)), .string(kind), .string(String(Int64(bitPattern: device))),
                .string(String(Int64(bitPattern: inode))),
            ]
        }
    }

    /// A place in a file: the bytes of complete lines consumed, how many lines they held, and the
    /// fingerprint (64-bit FNV-1a) of the file's first `fingerprintLength` bytes when it was stored.
    package struct Offset: Sendable, Equatable {
        package var byteOffset: Int64
        package var lineNumber: Int64
        package var fingerprint: UInt64
        package var fingerprintLength: Int

        package init(byteOffset: Int64, lineNumber: Int64, fingerprint: UInt64, fingerprintLength: Int) {
            self.byteOffset = byteOffset
            self.lineNumber = lineNumber
            self.fingerprint = fingerprint
            self.fingerprintLength = fingerprintLength
        }

        /// The start of a file (nothing read; the empty fingerprint).
        package static let start = Offset(
            byteOffset: 0, lineNumber: 0, fingerprint: Fingerprint.empty, fingerprintLength: 0)
    }

    /// The stored place of `key`, or nil when the file was never read.
    package static func find(_ key: Key, on connection: PostgresConnection) throws -> Offset? {
        let purpose = "read tail offset"
        let rows = try connection.query(
            """
            SELECT byte_offset, line_number, fingerprint, fingerprint_length FROM tail_offsets
            WHERE model_id = $1 AND kind = $2 AND device = $3::int8 AND inode = $4::int8
            """, key.parameters, purpose: purpose)
        guard !rows.isEmpty else { return nil }
        return Offset(
            byteOffset: try rows.value(0, 0, as: Int64.self, purpose: purpose) ?? 0,
            lineNumber: try rows.value(0, 1, as: Int64.self, purpose: purpose) ?? 0,
            fingerprint: UInt64(bitPattern: try rows.value(0, 2, as: Int64.self, purpose: purpose) ?? 0),
            fingerprintLength: try rows.value(0, 3, as: Int.self, purpose: purpose) ?? 0)
    }

    /// Moves `key` from `expected` (nil: no row yet) to `next` when the row still holds `expected`, and
    /// reports whether it did. Call it inside the transaction that stores the lines between the two: the
    /// row stays locked until that transaction ends, so of two agents reading the same lines only the
    /// first to claim them stores them; the other finds the row moved (false) and must re-read it.
    package static func advance(
        _ key: Key, path: String, from expected: Offset?, to next: Offset, on connection: PostgresConnection
    ) throws -> Bool {
        let purpose = "advance tail offset"
        let values: [PostgresParameter] = [
            .string(path), .string(String(next.byteOffset)), .string(String(next.lineNumber)),
            .string(String(Int64(bitPattern: next.fingerprint))), .int(next.fingerprintLength),
        ]
        guard let expected else {
            return try connection.query(
                """
                INSERT INTO tail_offsets
                    (model_id, kind, device, inode, path, byte_offset, line_number, fingerprint, fingerprint_length)
                VALUES ($1, $2, $3::int8, $4::int8, $5, $6::int8, $7::int8, $8::int8, $9)
                ON CONFLICT (model_id, kind, device, inode) DO NOTHING
                """, key.parameters + values, purpose: purpose
            ).affectedRows == 1
        }
        let was: [PostgresParameter] = [
            .string(String(expected.byteOffset)), .string(String(expected.lineNumber)),
            .string(String(Int64(bitPattern: expected.fingerprint))), .int(expected.fingerprintLength),
        ]
        // UPDATE locks the row; a concurrent claim waits for this transaction and then finds the row moved.
        return try connection.query(
            """
            UPDATE tail_offsets
            SET path = $5, byte_offset = $6::int8, line_number = $7::int8, fingerprint = $8::int8,
                fingerprint_length = $9, updated_at = now()
            WHERE model_id = $1 AND kind = $2 AND device = $3::int8 AND inode = $4::int8
              AND byte_offset = $10::int8 AND line_number = $11::int8 AND fingerprint = $12::int8
              AND fingerprint_length = $13
            """, key.parameters + values + was, purpose: purpose
        ).affectedRows == 1
    }
}

/// The 64-bit FNV-1a hash that fingerprints the first bytes of a followed file (not cryptographic: it
/// tells a rewritten or different file from the one that was read).
package enum Fingerprint {
    /// The hash of no bytes.
    package static let empty: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Hashes `bytes`, continuing from `hash`.
    package static func hash(_ bytes: UnsafeRawBufferPointer, from hash: UInt64 = empty) -> UInt64 {
        var h = hash
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }
}
