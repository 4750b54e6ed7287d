extension PostgresConnection {
    /// Runs `sql` through a server-side cursor in one transaction (REPEATABLE READ when `repeatableRead`)
    /// and calls `body` with each batch of at most `batch` rows, so a result of any size is read in bounded
    /// memory. `onSnapshot` runs once the transaction's snapshot is taken (the cursor is declared).
    package func forEachBatch(
        of sql: String, _ parameters: [PostgresParameter] = [], batch: Int, repeatableRead: Bool = false,
        purpose: String, onSnapshot: () throws -> Void = {}, _ body: (PostgresRows) throws -> Void
    ) throws {
        try transaction(purpose: purpose) {
            if repeatableRead {
                _ = try query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", purpose: purpose)
            }
            _ = try query("DECLARE dw_cursor NO SCROLL CURSOR FOR " + sql, parameters, purpose: purpose)
            try onSnapshot()
            while true {
                let rows = try query("FETCH FORWARD \(batch) FROM dw_cursor", purpose: purpose)
                if rows.isEmpty { break }
                try body(rows)
                if rows.count < batch { break }
            }
            _ = try query("CLOSE dw_cursor", purpose: purpose)
        }
    }
}
