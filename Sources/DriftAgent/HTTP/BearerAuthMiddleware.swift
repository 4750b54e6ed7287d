import Hummingbird

/// Requires `Authorization: Bearer <token>` with one of the accepted tokens; answers 401 otherwise.
/// Tokens are compared in constant time.
package struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: [[UInt8]]

    package init(tokens: Set<String>) {
        self.tokens = tokens.map { Array($0.utf8) }
    }

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(
                .unauthorized, code: .unauthorized, message: "a bearer token is required",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        let presented = Array(header.dropFirst(7).utf8)
        guard tokens.contains(where: { Self.constantTimeEqual($0, presented) }) else {
            throw APIError(
                .unauthorized, code: .unauthorized, message: "the bearer token is not accepted",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
