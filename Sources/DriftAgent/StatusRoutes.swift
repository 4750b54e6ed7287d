import DriftCore
import DriftStore
import DriftTables
import Hummingbird

/// `GET /v1/models/{model}/status`: the model's settings, its reference, its open window (events so far and
/// its figures computed now, drift included, from the stored events), its last closed window (the stored
/// figures and verdict) and its open alerts.
struct StatusRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("models/:model/status") { _, context in
            try await status(model: try context.parameters.require("model"))
        }
    }

    struct Snapshot: Sendable {
        var reference: ReferenceStore.Stored?
        var open: (start: Int64, end: Int64, profile: WindowProfile)?
        var lastClosed: WindowStore.Window?
        var lastFigures: [WindowMetricsStore.Row] = []
        var alerts: [AlertStore.OpenAlert] = []
    }

    func status(model name: String) async throws -> Response {
        let (model, modelID) = try await environment.resolveModel(name)
        let schema = ProfileSchema(model: model)
        let snapshot = try await environment.pool.withConnection(purpose: "read model status") {
            connection -> Snapshot in
            var s = Snapshot()
            s.reference = try ReferenceStore.current(modelID: modelID, on: connection)
            s.lastClosed = try WindowStore.lastClosed(modelID: modelID, on: connection)
            if let last = s.lastClosed {
                s.lastFigures = try WindowMetricsStore.window(modelID: modelID, windowStart: last.start, on: connection)
            }
            s.alerts = try AlertStore.open(modelID: modelID, on: connection)
            let from = s.lastClosed?.end
            let (next, latest) = try WindowStore.eventTimes(from: from, modelID: modelID, on: connection)
            if let next, let latest {
                let bounds: (Int64, Int64)
                switch model.window {
                case .duration(let seconds):
                    let size = Int64(seconds) * 1_000_000
                    let start = WindowCloser.floor(next, size)
                    bounds = (start, start + size)
                case .events(let n):
                    let nth = try WindowStore.nthEventTime(n, from: from, modelID: modelID, on: connection)
                    bounds = (next, (nth ?? latest) + 1)
                }
                let usable = s.reference.flatMap { $0.profile.matches(schema) ? $0.profile : nil }
                let profile = try ProfileReader.window(
                    modelID: modelID, from: bounds.0, to: bounds.1, schema: schema,
                    grids: usable?.grids ?? .none(schema), on: connection)
                s.open = (bounds.0, bounds.1, profile)
            }
            return s
        }
        let usable = snapshot.reference.flatMap { $0.profile.matches(schema) ? $0.profile : nil }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("model", name)
        w.string("task", model.task.rawValue)
        w.beginObject("window")
        switch model.window {
        case .duration(let seconds): w.integer("duration_seconds", seconds)
        case .events(let n): w.integer("events", n)
        }
        w.integer("allowed_lateness_seconds", model.allowedLatenessSeconds)
        w.endObject()
        if let reference = snapshot.reference {
            w.beginObject("reference")
            ReferenceRoutes.write(reference, schema: schema, to: &w)
            w.endObject()
        } else {
            w.null("reference")
        }
        if let open = snapshot.open {
            w.beginObject("current_window")
            w.string("start", RFC3339.text(microseconds: open.start))
            w.string("end", RFC3339.text(microseconds: open.end))
            w.integer("events", open.profile.eventCount)
            Self.write(WindowEvaluator.figures(window: open.profile, reference: usable, model: model), to: &w)
            w.endObject()
        } else {
            w.null("current_window")
        }
        if let last = snapshot.lastClosed {
            w.beginObject("last_closed_window")
            w.string("start", RFC3339.text(microseconds: last.start))
            w.string("end", RFC3339.text(microseconds: last.end))
            w.integer("events", last.eventCount)
            Self.write(snapshot.lastFigures.map(\.figure), to: &w)
            w.endObject()
        } else {
            w.null("last_closed_window")
        }
        w.beginArray("open_alerts")
        for a in snapshot.alerts {
            w.beginObject()
            w.string("rule", a.rule)
            w.string("state", a.state)
            w.string("severity", a.severity)
            w.string("starts_at", RFC3339.text(microseconds: a.startsAt))
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return JSONResponse.make(w.text)
    }

    /// `drift` (the dataset verdict) and `drifted_feature_ratio` when the window was compared, then `figures`.
    static func write(_ figures: [WindowFigure], to w: inout JSONWriter) {
        if let ratio = figures.first(where: { $0.metric == "drifted_feature_ratio" }) {
            w.bool("drift", ratio.drift ?? false)
            w.number("drifted_feature_ratio", ratio.value)
        }
        w.beginArray("figures")
        for f in figures { FigureJSON.write(f, to: &w) }
        w.endArray()
    }
}
