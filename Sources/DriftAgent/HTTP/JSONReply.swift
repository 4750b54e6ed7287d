import DriftTables
import Hummingbird

/// A route's typed reply: the value written as JSON (`JSONWritable`) with its status.
struct JSONReply<Body: JSONWritable & Sendable>: ResponseGenerator, Sendable {
    let body: Body
    var status: HTTPResponse.Status = .ok

    init(_ body: Body, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(body.jsonText(), status: status)
    }
}
