import DriftCore
import DriftStore
import PostgresDriver

/// Reads a model's status (`ModelStatus`): what is stored, and the open window profiled from its stored
/// events and evaluated now against the reference.
struct ModelStatusReader: Sendable {
    let environment: AgentEnvironment

    func status(model name: String) async throws -> ModelStatus {
        let (model, modelID) = try await environment.resolveModel(name)
        let schema = ProfileSchema(model: model)
        let stored = try await environment.pool.withConnection(purpose: "read model status") {
            try Stored.read(model: model, modelID: modelID, schema: schema, on: $0)
        }
        let usable = stored.reference.flatMap { $0.profile.matches(schema) ? $0.profile : nil }
        let current = stored.open.map { open in
            ModelStatus.Window(
                start: open.start, end: open.end, events: open.profile.eventCount,
                figures: WindowEvaluator.figures(window: open.profile, reference: usable, model: model))
        }
        let last = stored.lastClosed.map { closed in
            ModelStatus.Window(
                start: closed.start, end: closed.end, events: closed.eventCount,
                figures: stored.lastFigures.map(\.figure))
        }
        return ModelStatus(
            name: name, model: model, schema: schema, reference: stored.reference, currentWindow: current,
            lastClosedWindow: last, openAlerts: stored.alerts)
    }

    /// What the status reads in one lease of a connection.
    struct Stored: Sendable {
        var reference: ReferenceStore.Stored?
        var open: (start: Int64, end: Int64, profile: WindowProfile)?
        var lastClosed: WindowStore.Window?
        var lastFigures: [WindowMetricsStore.Row] = []
        var alerts: [AlertStore.OpenAlert] = []

        static func read(
            model: ModelConfiguration, modelID: Int64, schema: ProfileSchema, on connection: PostgresConnection
        ) throws -> Stored {
            var s = Stored()
            s.reference = try ReferenceStore.current(modelID: modelID, on: connection)
            s.lastClosed = try WindowStore.lastClosed(modelID: modelID, on: connection)
            if let last = s.lastClosed {
                s.lastFigures = try WindowMetricsStore.window(modelID: modelID, windowStart: last.start, on: connection)
            }
            s.alerts = try AlertStore.open(modelID: modelID, on: connection)
            guard let bounds = try openBounds(model: model, modelID: modelID, after: s.lastClosed?.end, on: connection)
            else { return s }
            let usable = s.reference.flatMap { $0.profile.matches(schema) ? $0.profile : nil }
            let profile = try ProfileReader.window(
                modelID: modelID, from: bounds.0, to: bounds.1, schema: schema, grids: usable?.grids ?? .none(schema),
                on: connection)
            s.open = (bounds.0, bounds.1, profile)
            return s
        }

        /// The open window's bounds: from the first stored event after the last closed window (nil: none).
        static func openBounds(
            model: ModelConfiguration, modelID: Int64, after from: Int64?, on connection: PostgresConnection
        ) throws -> (Int64, Int64)? {
            let (next, latest) = try WindowStore.eventTimes(from: from, modelID: modelID, on: connection)
            guard let next, let latest else { return nil }
            switch model.window {
            case .duration(let seconds):
                let size = Int64(seconds) * 1_000_000
                let start = WindowCloser.floor(next, size)
                return (start, start + size)
            case .events(let n):
                let nth = try WindowStore.nthEventTime(n, from: from, modelID: modelID, on: connection)
                return (next, (nth ?? latest) + 1)
            }
        }
    }
}
