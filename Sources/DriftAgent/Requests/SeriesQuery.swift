import DriftCore
import DriftTables
import Hummingbird

/// The query of `GET /v1/models/{model}/metrics`: `metric` (required), `feature` and `method` (optional
/// filters), `from`/`to` (RFC 3339; default: the 7 days up to `now`).
struct SeriesQuery: Sendable, Equatable {
    let metric: WindowMetric
    let feature: String?
    let method: String?
    let from: Int64
    let to: Int64

    init(_ query: QueryParameters, now: Int64) throws(APIError) {
        guard let metric = try QueryText.value(query, "metric"), !metric.isEmpty else {
            throw APIError(
                .badRequest, code: .missingParameter, message: "the query parameter 'metric' is required",
                field: "metric")
        }
        self.metric = WindowMetric(rawValue: metric)
        feature = try QueryText.value(query, "feature")
        method = try QueryText.value(query, "method")
        to = try QueryTime.value(query, "to", default: now)
        from = try QueryTime.value(query, "from", default: max(RFC3339.range.lowerBound, to - 7 * 86_400_000_000))
        try QueryTime.checkOrder(from: from, to: to)
    }
}
