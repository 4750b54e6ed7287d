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
        let query = request.uri.queryParameters
        guard let metric = query.get("metric"), !metric.isEmpty else {
            throw APIError(
                .badRequest, code: .missingParameter, message: "the query parameter 'metric' is required",
                field: "metric")
        }
        let now = WallClock.microseconds()
        let to = try QueryTime.value(query, "to", default: now)
        let from = try QueryTime.value(
            query, "from", default: max(RFC3339.range.lowerBound, to - 7 * 86_400_000_000))
        try QueryTime.checkOrder(from: from, to: to)
        let feature = query.get("feature")
        let method = query.get("method")
        let (_, id) = try await environment.resolveModel(name)
        let rows = try await environment.pool.withConnection(purpose: "read a time series") {
            c -> [WindowMetricsStore.Row] in
            try WindowMetricsStore.series(
                modelID: id, metric: WindowMetric(rawValue: metric), feature: feature, method: method, from: from,
                to: to, on: c)
        }
        return JSONReply(MetricSeries(model: name, metric: metric, rows: rows))
    }
}
