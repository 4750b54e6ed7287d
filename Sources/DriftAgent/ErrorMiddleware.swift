import DriftStore
import Hummingbird
import Logging

/// Turns an unexpected error (a database failure, a bug) into a logged, JSON-answered 500
/// `{"error": {"code": "internal", "message"}}` instead of an empty reply; a database that is unreachable
/// is answered 503 `database_unavailable` (retry later: nothing of that request was acknowledged).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            if let postgres = error as? PostgresError, postgres.code == .overloaded {
                throw APIError(
                    .serviceUnavailable, code: "overloaded",
                    message:
                        "the agent is writing as fast as the database takes it; retry (nothing of this request was stored unless the reply said so)",
                    headers: [.retryAfter: "1"])
            }
            logger.error(
                "request failed",
                metadata: [
                    "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "error": "\(error)",
                ])
            if let postgres = error as? PostgresError, postgres.isTransient {
                throw APIError(
                    .serviceUnavailable, code: "database_unavailable",
                    message: "the database is unavailable; nothing of this request was stored unless the reply said so",
                    headers: [.retryAfter: "1"])
            }
            throw APIError(.internalServerError, code: "internal", message: "\(error)")
        }
    }
}
