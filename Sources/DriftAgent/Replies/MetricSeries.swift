import DriftStore
import DriftTables

/// The reply of `GET /v1/models/{model}/metrics`: the stored points of one series, oldest first.
struct MetricSeries: JSONWritable, Sendable {
    let model: String
    let metric: String
    let rows: [WindowMetricsStore.Row]

    func writeMembers(to w: inout JSONWriter) {
        w.string("model", model)
        w.string("metric", metric)
        w.beginArray("points")
        for r in rows { FigureJSON.write(r.figure, to: &w, window: (r.windowStart, r.windowEnd)) }
        w.endArray()
    }
}
