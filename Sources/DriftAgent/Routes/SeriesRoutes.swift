import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import Hummingbird

/// `GET /v1/models/{model}/metrics?metric=&feature=&method=&from=&to=`: a stored time series as JSON.
/// `metric` is required; `from`/`to` are RFC 3339 (default: the last 7 days up to now).
struct SeriesRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("models/:model/metrics") { request, context in
            try await series(request, model: try context.parameters.require("model"))
        }
    }

    func series(_ request: Request, model name: String) async throws -> JSONReply<MetricSeries> {
        let query = try SeriesQuery(request.uri.queryParameters, now: WallClock.microseconds())
        let (_, id) = try await environment.resolveModel(name)
        let rows = try await environment.pool.withConnection(purpose: "read a time series") {
            c -> [WindowMetricsStore.Row] in
            try WindowMetricsStore.series(
                modelID: id, metric: query.metric, feature: query.feature, method: query.method, from: query.from,
                to: query.to, on: c)
        }
        return JSONReply(MetricSeries(model: name, metric: query.metric.rawValue, rows: rows))
    }
}
