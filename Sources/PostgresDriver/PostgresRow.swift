import Foundation

/// The rows of a query, as text (libpq's text result format), with typed accessors.
package struct PostgresRows: Sendable {
    package let columns: [String]
    package let rows: [[String?]]
    /// Rows affected by INSERT/UPDATE/DELETE/COPY (from `PQcmdTuples`), 0 otherwise.
    package let affectedRows: Int

    package var count: Int { rows.count }
    package var isEmpty: Bool { rows.isEmpty }

    /// The value in row `row`, column `column`, decoded as `T`; nil for SQL NULL.
    package func value<T: PostgresDecodable>(
        _ row: Int, _ column: Int, as type: T.Type = T.self, purpose: String
    )
        throws -> T?
    {
        guard row < rows.count, column < columns.count else {
            throw PostgresError(.decoding, purpose: purpose, message: "no row \(row) / column \(column) in the result")
        }
        guard let text = rows[row][column] else { return nil }
        guard let value = T(postgresText: text) else {
            throw PostgresError(
                .decoding, purpose: purpose, message: "column '\(columns[column])' is not a valid \(T.self)")
        }
        return value
    }

    /// The value of the first row's first column, decoded as `T` (nil when there is no row or it is NULL).
    package func scalar<T: PostgresDecodable>(_ type: T.Type = T.self, purpose: String) throws -> T? {
        rows.isEmpty ? nil : try value(0, 0, as: type, purpose: purpose)
    }
}

/// A Swift value read from PostgreSQL's text format.
package protocol PostgresDecodable {
    init?(postgresText: String)
}

extension String: PostgresDecodable {
    package init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresDecodable {
    package init?(postgresText: String) { self.init(postgresText) }
}

extension Int64: PostgresDecodable {
    package init?(postgresText: String) { self.init(postgresText) }
}

extension Double: PostgresDecodable {
    package init?(postgresText: String) {
        switch postgresText {
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        case "NaN": self = .nan
        default: self.init(postgresText)
        }
    }
}

extension Bool: PostgresDecodable {
    package init?(postgresText: String) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}
