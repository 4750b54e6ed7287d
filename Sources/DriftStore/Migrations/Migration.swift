import Crypto

/// One numbered SQL migration (`0001_init.sql`, …).
package struct Migration: Sendable, Equatable {
    package let name: String
    package let sql: String

    package init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL text (hex), recorded when applied; a different checksum later means the file
    /// was edited after release.
    package var checksum: String {
        SHA256.hash(data: Array(sql.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
