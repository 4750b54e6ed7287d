import DriftCore
import DriftTables
import Hummingbird

/// An error answered to a client as `{"error": {"code", "message", "line"?, "field"?, "request_id"?}}` with
/// its status.
package struct APIError: HTTPResponseError, Sendable {
    /// The stable, machine-readable code clients match on (`{"error": {"code": …}}`), one constant per
    /// kind of refusal — in the style of postgres-nio's `PSQLError.Code`: the initializer is private, so
    /// the set is closed, and a new code is a new constant here (documented in the README's HTTP API section).
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code as written, e.g. `unknown_model`.
        package let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        package static let bodyTooLarge = Code("body_too_large")
        package static let configuredModel = Code("configured_model")
        package static let databaseUnavailable = Code("database_unavailable")
        package static let featuresChanged = Code("features_changed")
        package static let `internal` = Code("internal")
        package static let invalidArtifact = Code("invalid_artifact")
        package static let invalidCloudEvent = Code("invalid_cloudevent")
        package static let invalidEvent = Code("invalid_event")
        package static let invalidJSON = Code("invalid_json")
        package static let invalidModel = Code("invalid_model")
        package static let invalidModelName = Code("invalid_model_name")
        package static let invalidParameter = Code("invalid_parameter")
        package static let invalidReference = Code("invalid_reference")
        package static let lineTooLarge = Code("line_too_large")
        package static let migrationsPending = Code("migrations_pending")
        package static let missingParameter = Code("missing_parameter")
        package static let noChampion = Code("no_champion")
        package static let noReference = Code("no_reference")
        package static let overloaded = Code("overloaded")
        package static let pairExpired = Code("pair_expired")
        package static let predictionFailed = Code("prediction_failed")
        package static let unauthorized = Code("unauthorized")
        package static let unknownJob = Code("unknown_job")
        package static let unknownModel = Code("unknown_model")
        package static let unknownVersion = Code("unknown_version")
        package static let unsupportedMode = Code("unsupported_mode")
        package static let unsupportedType = Code("unsupported_type")

        /// The code as it is written in the reply, e.g. `unknown_model`.
        package var description: String { rawValue }
    }

    package let status: HTTPResponse.Status
    package let code: Code
    package let message: String
    package let line: Int?
    package let field: String?
    /// The id under which the agent logged an internal error's detail.
    package let requestID: String?
    /// Extra headers (e.g. `WWW-Authenticate`, `Retry-After`).
    package let headers: HTTPFields

    package init(
        _ status: HTTPResponse.Status, code: Code, message: String, line: Int? = nil, field: String? = nil,
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
        w.string("code", code.description)
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
