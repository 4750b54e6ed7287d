import CLibPQ
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// One libpq connection. Every call blocks the calling thread, so a connection is used only inside
/// `PostgresPool.withConnection`, which runs the work on the `BlockingExecutor`, never on Swift's
/// cooperative pool; it is leased to one task at a time and is deliberately not `Sendable`.
package final class PostgresConnection {
    let handle: OpaquePointer
    package let logger: Logger

    /// Connects (blocking) with `PQconnectdbParams`.
    package init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "driftwatch.postgres")) throws {
        self.logger = logger
        let keywords = configuration.parameters.map { strdup($0.0) }
        let values = configuration.parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var k: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var v: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let connection = PQconnectdbParams(&k, &v, 1) else {
            throw PostgresError(.connection, purpose: "connect", message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = PostgresError.trimmed(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw PostgresError(.connection, purpose: "connect", message: message)
        }
        handle = connection
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// `true` while libpq considers the connection usable.
    package var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// `true` inside a transaction block (idle in it, or failed in it).
    package var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Reads whatever the server sent while the connection was idle (without blocking) and reports
    /// whether it is still usable: a server that shut down or restarted has closed the socket, which
    /// this notices before a statement is sent.
    package func pollIsAlive() -> Bool {
        guard isHealthy else { return false }
        return PQconsumeInput(handle) == 1 && isHealthy
    }

    /// The server's version number (e.g. 150018).
    package var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs one statement with parameters (`$1`, `$2`, …) and returns its rows.
    @discardableResult
    package func query(_ sql: String, _ parameters: [PostgresParameter] = [], purpose: String) throws -> PostgresRows {
        let result = try execParams(sql, parameters, purpose: purpose)
        defer { PQclear(result) }
        return Self.rows(of: result)
    }

    /// Runs SQL that may hold several statements and no parameters (migrations, DDL).
    package func execute(script sql: String, purpose: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        let status = result.map { PQresultStatus($0) }
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw PostgresError.from(result: result, connection: handle, purpose: purpose)
        }
    }

    /// Creates (once per session) a temporary table `name` shaped like `table`, emptied at every commit:
    /// the landing place of a COPY that is then merged with `INSERT … ON CONFLICT`.
    /// `name` and `table` are identifiers chosen by the code, never user input.
    package func ensureStagingTable(_ name: String, like table: String, purpose: String) throws {
        try execute(
            script: "CREATE TEMP TABLE IF NOT EXISTS \(name) (LIKE \(table) INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
            purpose: purpose)
    }

    /// Runs `body` inside BEGIN … COMMIT; any error rolls back and is rethrown. Called inside a transaction
    /// already open, it nests as a savepoint (an error rolls back to it; the outer transaction commits).
    package func transaction<T>(purpose: String, _ body: () throws -> T) throws -> T {
        if PQtransactionStatus(handle) == PQTRANS_INTRANS {
            try query("SAVEPOINT driftwatch_nested", purpose: purpose)
            do {
                let value = try body()
                try query("RELEASE SAVEPOINT driftwatch_nested", purpose: purpose)
                return value
            } catch {
                if isHealthy {
                    _ = try? query("ROLLBACK TO SAVEPOINT driftwatch_nested", purpose: purpose)
                    _ = try? query("RELEASE SAVEPOINT driftwatch_nested", purpose: purpose)
                }
                throw error
            }
        }
        try query("BEGIN", purpose: purpose)
        do {
            let value = try body()
            try query("COMMIT", purpose: purpose)
            return value
        } catch {
            if isHealthy { _ = try? query("ROLLBACK", purpose: purpose) }
            throw error
        }
    }

    /// Runs `COPY … FROM STDIN (FORMAT binary)` (`sql` must ask for binary), lets `body` write the rows,
    /// ends the COPY and returns the number of rows loaded. An error thrown by `body` aborts the COPY.
    package func copyInBinary(
        _ sql: String, purpose: String, _ body: (inout BinaryCopyWriter) throws -> Void
    ) throws
        -> Int
    {
        try copy(sql, purpose: purpose) {
            var writer = BinaryCopyWriter(connection: handle, purpose: purpose)
            try body(&writer)
            try writer.finish()
        }
    }

    func copy(_ sql: String, purpose: String, _ send: () throws -> Void) throws -> Int {
        let start = try execParams(sql, [], purpose: purpose, expect: PGRES_COPY_IN)
        PQclear(start)
        do {
            try send()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by the client")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            let message = String(cString: PQerrorMessage(handle))
            drainResults()
            throw PostgresError(.copy, purpose: purpose, message: PostgresError.trimmed(message))
        }
        var loaded = 0
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                loaded = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = PostgresError.from(result: result, connection: handle, purpose: purpose)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return loaded
    }

    func execParams(
        _ sql: String, _ parameters: [PostgresParameter], purpose: String, expect: ExecStatusType? = nil
    )
        throws -> OpaquePointer
    {
        // Every value, NUL-terminated, in one buffer with its length (no copy per parameter). libpq reads
        // text parameters up to their terminator, so a NUL inside one is refused rather than cut short.
        var buffer: [CChar] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        for (i, parameter) in parameters.enumerated() {
            guard let text = parameter.text else {
                offsets.append(nil)
                lengths.append(0)
                continue
            }
            let bytes = text.utf8
            guard !bytes.contains(0), let length = Int32(exactly: bytes.count) else {
                throw PostgresError(
                    .parameter, purpose: purpose,
                    message: "parameter $\(i + 1) contains a NUL byte or is too long; PostgreSQL text cannot hold it")
            }
            offsets.append(buffer.count)
            lengths.append(length)
            buffer.append(contentsOf: bytes.map { CChar(bitPattern: $0) })
            buffer.append(0)
        }
        let result = buffer.withUnsafeBufferPointer { base -> OpaquePointer? in
            var values: [UnsafePointer<CChar>?] = offsets.map { offset -> UnsafePointer<CChar>? in
                guard let offset, let start = base.baseAddress else { return nil }
                return start + offset
            }
            return PQexecParams(handle, sql, Int32(parameters.count), nil, &values, &lengths, nil, 0)
        }
        let status = result.map { PQresultStatus($0) }
        let ok = expect.map { status == $0 } ?? (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        guard let result, ok else {
            let error = PostgresError.from(result: result, connection: handle, purpose: purpose)
            PQclear(result)
            throw error
        }
        return result
    }

    func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    static func rows(of result: OpaquePointer) -> PostgresRows {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var row: [String?] = []
            row.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    row.append(nil)
                } else {
                    let length = Int(PQgetlength(result, Int32(r), Int32(c)))
                    let pointer = UnsafeRawPointer(PQgetvalue(result, Int32(r), Int32(c)))
                    row.append(
                        pointer.map {
                            String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
                        } ?? "")
                }
            }
            rows.append(row)
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, rows: rows, affectedRows: affected)
    }
}
