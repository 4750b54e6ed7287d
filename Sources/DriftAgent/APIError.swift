import DriftCore
import DriftTables
import Hummingbird

/// An error answered to a client as `{"error": {"code", "message", "line"?, "field"?, "request_id"?}}` with
/// its status.
package struct APIError: HTTPResponseError, Sendable {
    package let status: HTTPResponse.Status
    /// Stable, machine-readable code (e.g. `unauthorized`, `unknown_model`, `not_ready`).
    package let code: String
    package let message: String
    package let line: Int?
    package let field: String?
    /// The id under which the agent logged an internal error's detail.
    package let requestID: String?
    /// Extra headers (e.g. `WWW-Authenticate`, `Retry-After`).
    package let headers: HTTPFields

    package init(
        _ status: HTTPResponse.Status, code: String, message: String, line: Int? = nil, field: String? = nil,
        requestID: String? = nil, headers: HTTPFields = [:]
    ) {
        self.requestID = requestID
        self.status = status
        self.code = code
        self.message = message
        self.line = line
        self.field = field
        self.headers = headers
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.beginObject("error")
        w.string("code", code)
        w.string("message", message)
        if let line { w.integer("line", line) }
        if let field { w.string("field", field) }
        if let requestID { w.string("request_id", requestID) }
        w.endObject()
        w.endObject()
        return JSONResponse.make(w.text, status: status, extraHeaders: headers)
    }
}

/// JSON responses from text already written with `JSONWriter`.
enum JSONResponse {
    static func make(_ json: String, status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extraHeaders)
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json + "\n")))
    }
}
