import DriftCore
import DriftTables
import Hummingbird

/// An ingest request's body as items: NDJSON read as a stream, line by line, or — with
/// `Content-Type: application/json` — one JSON array collected up to `server.max_buffered_body_bytes`.
enum IngestBody {
    /// One item of the body: an NDJSON line (its bytes) or an element of a JSON array.
    enum Item {
        case bytes(UnsafeBufferPointer<UInt8>)
        case value(JSONValue)

        func prediction(_ decoder: PredictionEventDecoder) -> Result<PredictionEvent, EventProblem> {
            switch self {
            case .bytes(let b): return decoder.decode(b)
            case .value(let v): return decoder.decode(v)
            }
        }

        /// The item as a JSON value (nil when it is not valid JSON).
        var json: JSONValue? {
            switch self {
            case .bytes(let b): return try? JSONValue.parse(b)
            case .value(let v): return v
            }
        }

        func label() -> Result<LabelEvent, EventProblem> {
            switch self {
            case .bytes(let b): return LabelEvent.decode(b)
            case .value(let v): return LabelEvent.decode(v)
            }
        }
    }

    /// Calls `handle` with each item and its 1-based line (or array position).
    /// - Throws: `APIError` for a body that is not JSON, not an array, or over a size limit.
    static func forEachItem(
        _ request: Request, server: ServerConfiguration, _ handle: (Int, Item) async throws -> Void
    ) async throws {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            guard case .array(let items) = try await JSONBody.read(request, limit: server.maxBufferedBodyBytes) else {
                throw APIError(.badRequest, code: .invalidJSON, message: "a JSON body must be an array of events")
            }
            for (i, item) in items.enumerated() { try await handle(i + 1, .value(item)) }
            return
        }
        let reader = LineReader(maxLineBytes: server.maxLineBytes, maxBodyBytes: server.maxBodyBytes)
        try await reader.forEachLine(of: request.body) { number, bytes in try await handle(number, .bytes(bytes)) }
    }
}
