import DriftCore
import DriftStore
import PostgresDriver

/// One window [start, end) being closed on one connection, inside the closer's transaction: its profile
/// read, its figures computed and stored, and the window marked closed.
struct ClosingWindow: Sendable {
    let model: ModelConfiguration
    let modelID: Int64
    /// The model's features as profiled (numeric, categorical, prediction, score).
    let schema: ProfileSchema
    /// The window's bounds, µs since the Unix epoch: events with `start ≤ event_time < end`.
    let start: Int64, end: Int64

    /// Reads the window's profile (calling `resume` once the read has its snapshot), computes its drift
    /// against `reference` and its realized performance, and stores both; returns the figures and the
    /// window's event count.
    func store(
        reference: ReferenceProfile?, on connection: PostgresConnection, resume: @Sendable () throws -> Void
    ) throws -> (figures: [WindowFigure], count: Int) {
        let profile = try ProfileReader.window(
            modelID: modelID, from: start, to: end, schema: schema, grids: reference?.grids ?? .none(schema),
            on: connection, onSnapshot: resume
        ).capped()
        var figures = WindowEvaluator.figures(window: profile, reference: reference, model: model)
        figures += try WindowCloser.performance(model, modelID, start: start, end: end, on: connection)
        try WindowMetricsStore.upsert(
            WindowCloser.rows(figures, start: start, end: end), modelID: modelID, on: connection)
        try WindowStore.saveClosed(profile, start: start, end: end, modelID: modelID, on: connection)
        return (figures, profile.eventCount)
    }

    /// Closes a window whose figures could not be computed with the one figure `window_error` = 1 and its
    /// event count (so later events in it are still counted late).
    func storeFailed(
        on connection: PostgresConnection, resume: @Sendable () throws -> Void
    ) throws -> (figures: [WindowFigure], count: Int) {
        try resume()
        let count = try WindowStore.eventCount(modelID: modelID, from: start, to: end, on: connection)
        let figures = [WindowFigure(.windowError, value: 1)]
        try WindowMetricsStore.upsert(
            WindowCloser.rows(figures, start: start, end: end), modelID: modelID, on: connection)
        try WindowStore.saveClosed(
            WindowProfile(schema: schema), eventCount: count, start: start, end: end, modelID: modelID,
            on: connection)
        return (figures, count)
    }
}
