import DriftCore
import DriftStore
import PostgresDriver

/// Realized performance: the closer writes the figures of closed windows whose labels changed.
extension WindowCloser {
    /// What one performance pass did: windows counted whole (and the predictions that read), windows whose
    /// figures it wrote.
    struct PerformanceRefresh: Sendable, Equatable {
        var windowsCounted = 0
        var predictionsRead = 0
        var windowsUpdated = 0
    }

    /// Writes the realized performance of closed windows whose labels changed since the last pass: a
    /// classifier's from its windows' counts (`LabelCounts`), a regression model's by reading them again.
    @discardableResult
    func refreshPerformance(_ model: ModelConfiguration, _ modelID: Int64) async throws -> PerformanceRefresh {
        switch model.task {
        case .binary, .multiclass: try await refreshCounts(model, modelID)
        case .regression: try await refreshByReading(model, modelID)
        }
    }

    /// Counts the windows closed since the last pass (and those closed before counts existed that a label
    /// reached), then writes the figures of every window whose counts changed — under the label lock, in one
    /// transaction, so no label is counted twice or missed.
    func refreshCounts(_ model: ModelConfiguration, _ modelID: Int64) async throws -> PerformanceRefresh {
        let (refresh, changed, latest) = try await environment.pool.withConnection(purpose: "refresh performance") {
            connection in
            try connection.transaction(purpose: "refresh performance") {
                () throws -> (PerformanceRefresh, [LabelCounts.ChangedWindow], WindowStore.Window?) in
                try LabelCounts.lock(modelID: modelID, on: connection)
                var refresh = PerformanceRefresh()
                let whole =
                    try LabelCounts.uncounted(modelID: modelID, on: connection)
                    + LabelCounts.uncountedChanged(modelID: modelID, on: connection)
                for (start, end) in whole {
                    refresh.windowsCounted += 1
                    refresh.predictionsRead = refresh.predictionsRead.addingSaturating(
                        try LabelCounts.count(modelID: modelID, start: start, end: end, on: connection))
                }
                let changed = try LabelCounts.takeChanged(modelID: modelID, on: connection)
                for window in changed {
                    let figures = Self.figures(model, window)
                    try WindowMetricsStore.upsert(
                        Self.rows(figures, start: window.start, end: window.end), modelID: modelID, on: connection)
                }
                refresh.windowsUpdated = changed.count
                let latest = changed.isEmpty ? nil : try WindowStore.lastClosed(modelID: modelID, on: connection)
                return (refresh, changed, latest)
            }
        }
        environment.metrics.countLabelCounting(model: model.name, refresh)
        if let latest, let last = changed.last(where: { $0.start == latest.start }) {
            environment.metrics.publish(
                model: model.name, windowEnd: latest.end,
                figures: Self.figures(model, last))
        }
        return refresh
    }

    /// A classifier's figures from a counted window: a binary one's with its score figures.
    static func figures(_ model: ModelConfiguration, _ window: LabelCounts.ChangedWindow) -> [WindowFigure] {
        PerformanceEvaluator.classification(cells: window.cells, scores: model.task == .binary ? window.scores : nil)
    }

    /// Recomputes the realized performance of a regression model's closed windows whose predictions got labels
    /// since the last pass, reading their labelled rows.
    func refreshByReading(_ model: ModelConfiguration, _ modelID: Int64) async throws -> PerformanceRefresh {
        let windows = environment.windows
        let checkpoint = await windows.labelCheckpoint(model.name)
        let (updated, next, latest) = try await environment.pool.withConnection(purpose: "refresh performance") {
            connection -> ([(WindowStore.Window, [WindowFigure])], Int64, WindowStore.Window?) in
            let now = try WindowStore.databaseNow(on: connection)
            let since =
                try checkpoint
                ?? (WindowStore.lastPerformanceUpdate(modelID: modelID, on: connection).map {
                    $0 - Self.labelMarginMicroseconds
                } ?? 0)
            var updated: [(WindowStore.Window, [WindowFigure])] = []
            for w in try WindowStore.closedWithLabels(receivedAfter: since, modelID: modelID, on: connection) {
                let figures = try Self.performance(model, modelID, start: w.start, end: w.end, on: connection)
                try WindowMetricsStore.upsert(
                    Self.rows(figures, start: w.start, end: w.end), modelID: modelID, on: connection)
                updated.append((w, figures))
            }
            let latest = updated.isEmpty ? nil : try WindowStore.lastClosed(modelID: modelID, on: connection)
            return (updated, now - Self.labelMarginMicroseconds, latest)
        }
        await windows.setLabelCheckpoint(model.name, next)
        if let latest, let last = updated.last(where: { $0.0.start == latest.start }) {
            environment.metrics.publish(model: model.name, windowEnd: latest.end, figures: last.1)
        }
        return PerformanceRefresh(windowsUpdated: updated.count)
    }

    /// The realized performance figures of [start, end) from the labels stored so far: a classifier's from
    /// its confusion counts (counted by the database), a regression model's from its rows.
    static func performance(
        _ model: ModelConfiguration, _ modelID: Int64, start: Int64, end: Int64, on connection: PostgresConnection
    ) throws -> [WindowFigure] {
        switch model.task {
        case .regression:
            let joined = try LabelStore.joined(modelID: modelID, from: start, to: end, on: connection)
            var actual: [Double] = []
            var predicted: [Double] = []
            for row in joined {
                if let a = row.value, let p = row.prediction.flatMap({ Double($0) }), !a.isNaN, !p.isNaN {
                    actual.append(a)
                    predicted.append(p)
                }
            }
            return PerformanceEvaluator.regression(actual: actual, predicted: predicted, volume: joined.count)
        case .binary, .multiclass:
            let cells = try LabelStore.confusionCells(modelID: modelID, from: start, to: end, on: connection)
            return PerformanceEvaluator.classification(cells: cells)
        }
    }
}
