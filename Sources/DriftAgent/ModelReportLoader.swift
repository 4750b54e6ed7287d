import DriftCore
import DriftReport
import DriftStore

/// Reads what a model report shows from PostgreSQL: the figures of the windows starting in [from, to), the
/// current reference, and the model's alerts.
public enum ModelReportLoader {
    public static func load(
        model: ModelConfiguration, modelID: Int64, from: Int64, to: Int64, pool: PostgresPool
    ) async throws -> ModelReport {
        try await pool.withConnection(purpose: "read report") { connection in
            let rows = try WindowMetricsStore.range(modelID: modelID, from: from, to: to, on: connection)
            let reference = try ReferenceStore.current(modelID: modelID, on: connection)
            let alerts = try AlertStore.alerts(modelID: modelID, openOnly: false, limit: 500, on: connection)
            return ModelReport(
                model: model, from: from, to: to, generatedAt: WallClock.microseconds(),
                referenceSource: reference?.source, referenceRows: reference?.rowCount,
                points: rows.map {
                    ModelReport.Point(windowStart: $0.windowStart, windowEnd: $0.windowEnd, figure: $0.figure)
                },
                alerts: alerts.map {
                    ModelReport.Alert(
                        rule: $0.rule, state: $0.state.rawValue, severity: $0.severity, labels: $0.labelsJSON,
                        startsAt: $0.startsAt, endsAt: $0.endsAt)
                })
        }
    }
}
