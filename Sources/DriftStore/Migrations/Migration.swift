import Crypto

/// One numbered SQL migration (`0001_init.sql`, …).
public struct Migration: Sendable, Equatable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL text (hex), recorded when applied; a different checksum later means the file
    /// was edited after release.
    public var checksum: String {
        SHA256.hash(data: Array(sql.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
