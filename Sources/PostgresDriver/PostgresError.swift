import CLibPQ

/// A PostgreSQL failure: what was being done (`purpose`), the server's SQLSTATE and primary message
/// when the server answered, and libpq's own message otherwise. Never carries the statement's data.
package struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure; a closed set. `connection`: could not connect, or the
    /// connection broke; `server`: the server rejected a statement; `copy`: a COPY failed; `decoding`: a value could
    /// not be decoded into the requested type; `overloaded`: every connection is busy and the pool's queue of waiting
    /// tasks is full (back-pressure); `pool_closed`: the pool was shut down; `migration`: a migration file was edited
    /// after it was applied, or cannot be applied; `parameter`: a parameter PostgreSQL cannot hold (a NUL byte in
    /// text); nothing was sent.
    package enum Code: String, Sendable, CustomStringConvertible {
        case connection, server, copy, decoding, overloaded, poolClosed = "pool_closed", migration, parameter
        package var description: String { rawValue }
    }

    package let code: Code
    /// What the caller was doing, e.g. "insert predictions".
    package let purpose: String
    /// The server's SQLSTATE (e.g. "23505"), when the server reported the error.
    package let sqlState: String?
    /// The server's primary message or libpq's message.
    package let message: String

    package init(_ code: Code, purpose: String, sqlState: String? = nil, message: String) {
        self.code = code
        self.purpose = purpose
        self.sqlState = sqlState
        self.message = message
    }

    package var description: String {
        var text = "\(purpose): \(code)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        return text + ": " + message
    }

    /// `true` when retrying on a fresh connection may succeed (connection lost, server shutting
    /// down or restarting, serialization failure, deadlock).
    package var isTransient: Bool {
        if code == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
            || sqlState == "40001" || sqlState == "40P01"
    }

    /// `true` when the statement's data itself was refused (a parameter PostgreSQL cannot hold, a data
    /// exception, a constraint other than a duplicate key): retrying the same data cannot succeed.
    package var refusesData: Bool {
        if code == .parameter { return true }
        guard code == .server || code == .copy, let sqlState else { return false }
        return sqlState.hasPrefix("22") || (sqlState.hasPrefix("23") && sqlState != "23505")
    }

    /// The error described by a failed result.
    static func from(result: OpaquePointer?, connection: OpaquePointer?, purpose: String) -> PostgresError {
        let connectionMessage = connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? ""
        guard let result else {
            return PostgresError(.connection, purpose: purpose, message: trimmed(connectionMessage))
        }
        let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let broken = connection.map { PQstatus($0) != CONNECTION_OK } ?? true
        let message = primary ?? trimmed(String(cString: PQresultErrorMessage(result)))
        return PostgresError(
            sqlState == nil && broken ? .connection : .server, purpose: purpose, sqlState: sqlState,
            message: message.isEmpty ? trimmed(connectionMessage) : message)
    }

    static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while let last = s.last, last == "\n" || last == " " { s.removeLast() }
        return String(s)
    }
}
