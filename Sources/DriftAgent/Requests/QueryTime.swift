import DriftCore
import DriftTables
import Hummingbird
import HummingbirdCore

/// The query string of a request, as Hummingbird parses it (`request.uri.queryParameters`).
typealias QueryParameters = FlatDictionary<Substring, Substring>

/// Time parameters of a query (`from`, `to`): RFC 3339 within the years 0001–9999, else a 400 naming the
/// parameter.
enum QueryTime {
    /// The parameter `key` of `query` in microseconds, or `fallback` when it is absent.
    static func value(_ query: QueryParameters, _ key: String, default fallback: Int64) throws(APIError) -> Int64 {
        guard let text = query.get(key) else { return fallback }
        guard let t = RFC3339.microseconds(text) else {
            throw APIError(
                .badRequest, code: .invalidParameter,
                message: "'\(key)' must be an RFC 3339 time within the years 0001–9999", field: key)
        }
        return t
    }

    /// A 400 when `from` is after `to`.
    static func checkOrder(from: Int64, to: Int64) throws(APIError) {
        guard from <= to else {
            throw APIError(.badRequest, code: .invalidParameter, message: "'from' is after 'to'", field: "from")
        }
    }
}

/// Text parameters of a query that reach the database: a NUL character (U+0000), which PostgreSQL text
/// cannot hold, is a 400 naming the parameter.
enum QueryText {
    /// The parameter `key` of `query`, or nil when it is absent.
    static func value(_ query: QueryParameters, _ key: String) throws(APIError) -> String? {
        guard let text = query.get(key) else { return nil }
        guard !text.utf8.contains(0) else {
            throw APIError(
                .badRequest, code: .invalidParameter, message: "'\(key)' holds a NUL character (U+0000)", field: key)
        }
        return text
    }
}
