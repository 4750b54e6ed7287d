import CLibPQ
import DriftSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few libpq calls the launcher makes (and the tests use): connect, run a statement, read the
/// rows as text. Every call blocks; every return code is checked; connections are always finished.
enum EmbeddedLibPQ {
    /// Connects with libpq keywords and values (a URL may be given as `dbname`), runs `body`, and
    /// finishes the connection. Connection failures are retried for `retrySeconds` (the server may
    /// still be starting up).
    static func withConnection<T>(
        _ parameters: [(String, String)], retrySeconds: Double = 0,
        _ body: (OpaquePointer) throws(EmbeddedPostgresError) -> T
    ) throws(EmbeddedPostgresError) -> T {
        let deadline = monotonicSeconds() + retrySeconds
        while true {
            let connection = connect(parameters)
            defer { PQfinish(connection) }  // PQfinish accepts NULL
            if let connection, PQstatus(connection) == CONNECTION_OK {
                PQsetNoticeProcessor(connection, { _, _ in }, nil)
                return try body(connection)
            }
            if monotonicSeconds() >= deadline {
                let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
                let target = parameters.filter { $0.0 != "password" }.map { "\($0.0)=\($0.1)" }
                throw EmbeddedPostgresError(
                    .database, "cannot connect to PostgreSQL (\(target.joined(separator: " ")))",
                    output: EmbeddedFiles.trimmingTrailingNewlines(message))
            }
            usleep(100_000)
        }
    }

    private static func connect(_ parameters: [(String, String)]) -> OpaquePointer? {
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let k: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        let v: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        return k.withUnsafeBufferPointer { kb in
            v.withUnsafeBufferPointer { vb in PQconnectdbParams(kb.baseAddress, vb.baseAddress, 1) }
        }
    }

    /// Runs `sql` (no parameters; one or more statements) and returns the last result's rows as text
    /// (nil for NULL); empty for commands.
    @discardableResult
    static func query(_ connection: OpaquePointer, _ sql: String) throws(EmbeddedPostgresError) -> [[String?]] {
        guard let result = PQexec(connection, sql) else {
            throw EmbeddedPostgresError(
                .database, "\(sql) failed",
                output: EmbeddedFiles.trimmingTrailingNewlines(String(cString: PQerrorMessage(connection))))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw EmbeddedPostgresError(
                .database, "\(sql) failed" + (sqlState.map { " (SQLSTATE \($0))" } ?? ""),
                output: EmbeddedFiles.trimmingTrailingNewlines(String(cString: PQresultErrorMessage(result))))
        }
        let rows = Int(PQntuples(result))
        let columns = Int(PQnfields(result))
        return (0..<rows).map { row in
            (0..<columns).map { column in
                PQgetisnull(result, Int32(row), Int32(column)) != 0
                    ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
            }
        }
    }

    /// Connects to `url`, runs `sql` and returns its rows (see `query(_:_:)`).
    @discardableResult
    static func query(url: String, _ sql: String) throws(EmbeddedPostgresError) -> [[String?]] {
        try withConnection(urlParameters(url)) { connection throws(EmbeddedPostgresError) in
            try query(connection, sql)
        }
    }

    /// libpq parameters for a connection URL.
    static func urlParameters(_ url: String) -> [(String, String)] {
        [("dbname", url), ("connect_timeout", "10"), ("application_name", "driftwatch-embedded")]
    }

    /// The database a connection URL names, as libpq parses it (nil when it does not parse).
    static func databaseName(in url: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "dbname" { return option.pointee.val.map { String(cString: $0) } }
            option += 1
        }
        return nil
    }

    /// `name` as a quoted SQL identifier.
    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
