import DriftCore
import DriftStore
import DriftTables
import PostgresDriver

/// What the agent has done so far, read from its database: closed windows, open alerts, retraining jobs, the
/// champion and the latest week's realized F1. The demo's progress line and summary are drawn from it.
struct DemoMonitor: Sendable {
    let pool: PostgresPool
    let modelID: Int64

    struct Snapshot: Sendable {
        var windowsClosed = 0
        var firing: [String] = []
        var pending: [String] = []
        /// Oldest first.
        var jobs: [RetrainJobStore.Job] = []
        var championVersion: Int?
        /// The latest closed week with at least 90 % of its labels: its start (YYYY-MM-DD) and F1 of class 1.
        var latestF1: (week: String, value: Double)?
    }

    func snapshot() async throws -> Snapshot {
        let modelID = modelID
        return try await pool.withConnection(purpose: "demo progress") { c in
            var s = Snapshot()
            let id = [PostgresParameter.int(Int(modelID))]
            s.windowsClosed =
                try c.query(
                    "SELECT count(DISTINCT window_start) FROM window_profiles WHERE model_id = $1 AND closed", id,
                    purpose: "count closed windows"
                ).scalar(Int.self, purpose: "count closed windows") ?? 0
            for alert in try AlertStore.open(modelID: modelID, on: c) {
                if alert.state == "firing" { s.firing.append(alert.rule) } else { s.pending.append(alert.rule) }
            }
            s.jobs = try RetrainJobStore.jobs(modelID: modelID, limit: 100, on: c).sorted { $0.jobID < $1.jobID }
            s.championVersion = try ModelVersionStore.championVersion(modelID: modelID, on: c)
            let f1 = try c.query(
                """
                SELECT to_char(f.window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD'), f.value
                FROM window_metrics f
                JOIN window_metrics c ON c.model_id = f.model_id AND c.window_start = f.window_start
                    AND c.metric = $2 AND c.feature = '' AND c.class_label = '' AND c.method = ''
                WHERE f.model_id = $1 AND f.metric = $3 AND f.class_label = '1' AND f.feature = ''
                    AND f.method = '' AND c.value >= 0.9 AND f.value IS NOT NULL
                ORDER BY f.window_start DESC LIMIT 1
                """,
                id + [.string(WindowMetric.labelCoverage.rawValue), .string(WindowMetric.f1.rawValue)],
                purpose: "read latest F1")
            if let row = f1.rows.first, let week = row[0], let value = row[1].flatMap(Double.init) {
                s.latestF1 = (week, value)
            }
            return s
        }
    }

    /// Whether every notification in the outbox has been delivered (or has failed for good).
    func outboxSettled() async throws -> Bool {
        let modelID = modelID
        return try await pool.withConnection(purpose: "demo outbox") { c in
            (try c.query(
                "SELECT count(*) FROM alert_deliveries WHERE model_id = $1 AND status = 'pending'",
                [.int(Int(modelID))], purpose: "count pending deliveries"
            ).scalar(Int.self, purpose: "count pending deliveries") ?? 0) == 0
        }
    }
}

extension DemoMonitor {
    /// Realized F1 (class 1) of the labelled predictions, by the champion version that made them and by
    /// whether they came before `shift` (µs).
    struct VersionScore: Sendable {
        let version: String
        let afterShift: Bool
        let rows: Int
        let f1: Double
    }

    func scoresByVersion(shift: Int64?) async throws -> [VersionScore] {
        let modelID = modelID
        let shiftText = PostgresTimestamp.text(microseconds: shift ?? Int64.max / 4)
        return try await pool.withConnection(purpose: "demo scores") { c in
            let rows = try c.query(
                """
                SELECT coalesce(p.model_version, '?'), p.event_time >= $2::timestamptz, count(*),
                    count(*) FILTER (WHERE p.prediction = '1' AND l.label = '1'),
                    count(*) FILTER (WHERE p.prediction = '1' AND l.label <> '1'),
                    count(*) FILTER (WHERE p.prediction <> '1' AND l.label = '1')
                FROM predictions p JOIN labels l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
                WHERE p.model_id = $1 GROUP BY 1, 2 ORDER BY 2, 1
                """, [.int(Int(modelID)), .string(shiftText)], purpose: "score versions")
            return rows.rows.compactMap { r in
                guard let version = r[0], let after = r[1], let n = r[2].flatMap(Int.init),
                    let tp = r[3].flatMap(Double.init), let fp = r[4].flatMap(Double.init),
                    let fn = r[5].flatMap(Double.init)
                else { return nil }
                let denominator = 2 * tp + fp + fn
                return VersionScore(
                    version: version, afterShift: after == "t", rows: n, f1: denominator > 0 ? 2 * tp / denominator : 0)
            }
        }
    }

    /// The start (µs) of the first window in which `feature` drifted by `method`, if any.
    func firstDriftedWindow(feature: String, method: String) async throws -> Int64? {
        let modelID = modelID
        return try await pool.withConnection(purpose: "demo first drift") { c in
            let text = try c.query(
                """
                SELECT to_char(min(window_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                FROM window_metrics WHERE model_id = $1 AND metric = 'drift_statistic' AND feature = $2
                    AND method = $3 AND drift
                """, [.int(Int(modelID)), .string(feature), .string(method)], purpose: "first drifted window"
            ).scalar(String.self, purpose: "first drifted window")
            return text.flatMap(RFC3339.microseconds)
        }
    }
}
