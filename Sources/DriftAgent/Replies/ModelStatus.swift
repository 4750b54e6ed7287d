import DriftCore
import DriftStore
import DriftTables

/// The reply of `GET /v1/models/{model}/status`: the model's settings, its reference, its open window (with
/// its figures computed now) and its last closed window (with the stored figures), and its open alerts.
struct ModelStatus: JSONWritable, Sendable {
    /// A window and its figures.
    struct Window: Sendable {
        let start: Int64
        let end: Int64
        let events: Int
        let figures: [WindowFigure]
    }

    let name: String
    let model: ModelConfiguration
    let schema: ProfileSchema
    let reference: ReferenceStore.Stored?
    let currentWindow: Window?
    let lastClosedWindow: Window?
    let openAlerts: [AlertStore.OpenAlert]

    func writeMembers(to w: inout JSONWriter) {
        w.string("model", name)
        w.string("task", model.task.rawValue)
        w.beginObject("window")
        switch model.window {
        case .duration(let seconds): w.integer("duration_seconds", seconds)
        case .events(let n): w.integer("events", n)
        }
        w.integer("allowed_lateness_seconds", model.allowedLatenessSeconds)
        w.endObject()
        w.object("reference", reference.map { ReferenceSummary(model: nil, stored: $0, schema: schema) })
        Self.write(currentWindow, "current_window", to: &w)
        Self.write(lastClosedWindow, "last_closed_window", to: &w)
        w.beginArray("open_alerts")
        for a in openAlerts {
            w.beginObject()
            w.string("rule", a.rule)
            w.string("state", a.state)
            w.string("severity", a.severity)
            w.string("starts_at", RFC3339.text(microseconds: a.startsAt))
            w.endObject()
        }
        w.endArray()
    }

    static func write(_ window: Window?, _ key: String, to w: inout JSONWriter) {
        guard let window else { return w.null(key) }
        w.beginObject(key)
        w.string("start", RFC3339.text(microseconds: window.start))
        w.string("end", RFC3339.text(microseconds: window.end))
        w.integer("events", window.events)
        write(window.figures, to: &w)
        w.endObject()
    }

    /// `drift` (the dataset verdict) and `drifted_feature_ratio` when the window was compared, then `figures`.
    static func write(_ figures: [WindowFigure], to w: inout JSONWriter) {
        if let ratio = figures.first(where: { $0.metric == .driftedFeatureRatio }) {
            w.bool("drift", ratio.drift ?? false)
            w.number("drifted_feature_ratio", ratio.value)
        }
        w.beginArray("figures")
        for f in figures { FigureJSON.write(f, to: &w) }
        w.endArray()
    }
}
