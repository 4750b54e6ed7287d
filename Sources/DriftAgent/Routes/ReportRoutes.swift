import DriftCore
import DriftReport
import Hummingbird

/// `GET /v1/models/{model}/report?from=&to=`: the model's HTML report over the windows starting in
/// [from, to) (RFC 3339; default: everything stored), rendered by `ModelReportRenderer`.
struct ReportRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("models/:model/report") { request, context in
            try await report(request, model: try context.parameters.require("model"))
        }
    }

    func report(_ request: Request, model name: String) async throws -> Response {
        let (model, modelID) = try await environment.resolveModel(name)
        let query = try ReportQuery(request.uri.queryParameters)
        let data = try await ModelReportLoader.load(
            model: model, modelID: modelID, from: query.from, to: query.to, pool: environment.pool)
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: ModelReportRenderer.render(data))))
    }
}
