import DriftStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PostgresDriver

/// Turns an unexpected error (a database failure, a bug) into a logged, JSON-answered 500
/// `{"error": {"code": "internal", "message", "request_id"}}` instead of an empty reply (and a body over a
/// route's limit into 413 `body_too_large`): the detail (which
/// may hold database text) goes to the log under the request id, never to the client. A database that is
/// unreachable is answered 503 `database_unavailable` (retry later: nothing of that request was
/// acknowledged).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch is NIOTooManyBytesError {
            // A body collected whole (`collect(upTo:)`) over its limit: Hummingbird's own answer has no body.
            throw APIError(
                .contentTooLarge, code: .bodyTooLarge, message: "the body is over this route's size limit")
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            if let postgres = error as? PostgresError, let refusal = APIError.overloaded(postgres) { throw refusal }
            let requestID = Self.requestID()
            logger.error(
                "request failed",
                metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "error": "\(error)",
                    "request_id": "\(requestID)",
                ])
            if let postgres = error as? PostgresError, let refusal = APIError.databaseUnavailable(postgres) {
                throw refusal
            }
            throw APIError(
                .internalServerError, code: .internal,
                message: "the request failed inside the agent; its log has the details under request id \(requestID)",
                requestID: requestID, headers: Self.requestIDHeader(requestID))
        }
    }

    /// 16 random hex digits naming one failed request in the log and the reply.
    /// `X-Request-Id: id`.
    static func requestIDHeader(_ id: String) -> HTTPFields {
        var headers = HTTPFields()
        if let name = HTTPField.Name("X-Request-Id") { headers[name] = id }
        return headers
    }

    static func requestID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
