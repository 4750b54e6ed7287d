import DriftTables
import Hummingbird

/// A request body that must be one JSON value, collected up to a limit.
enum JSONBody {
    /// The body parsed as JSON.
    /// - Throws: `APIError` `body_too_large` past `limit`, `invalid_json` when it does not parse.
    static func read(_ request: Request, limit: Int) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: limit)
        do {
            return try Array(buffer.readableBytesView).withUnsafeBufferPointer { b throws(JSONSyntaxError) in
                try JSONValue.parse(b)
            }
        } catch {
            throw APIError.notJSON(error)
        }
    }
}
