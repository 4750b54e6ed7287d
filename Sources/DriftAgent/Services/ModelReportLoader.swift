import DriftCore
import DriftReport
import DriftStats
import DriftStore
import DriftSystem
import DriftTables
import PostgresDriver

/// Reads what a model report shows from PostgreSQL: the figures of the windows starting in [from, to), the
/// current reference, the model's alerts, the retraining jobs that finished in the range, and — from the
/// stored predictions of those windows and their labels — the current distributions and the error analysis.
///
/// Speed: the predictions are streamed (memory bounded by the features, see `CurrentSideBuilder`) and read
/// at most `valueBudget` feature values: when the windows hold more events than `valueBudget / features`,
/// a deterministic sample of about that many is read (events whose prediction id hashes to 0 modulo k,
/// `ReportScan`), and the report says so. Drift figures are never sampled: they are the stored ones.
package enum ModelReportLoader {
    /// Feature values read at most from stored predictions for one report (10 million: about 400,000
    /// events of a 25-feature model, a few seconds).
    package static let defaultValueBudget = 10_000_000

    package static func load(
        model: ModelConfiguration, modelID: Int64, from: Int64, to: Int64, pool: PostgresPool,
        valueBudget: Int = defaultValueBudget
    ) async throws -> ModelReport {
        try await pool.withConnection(purpose: "read report") { connection in
            let rows = try WindowMetricsStore.range(modelID: modelID, from: from, to: to, on: connection)
            let reference = try ReferenceStore.current(modelID: modelID, on: connection)
            let alerts = try AlertStore.alerts(modelID: modelID, openOnly: false, limit: 500, on: connection)
            var windows: [Int64: Int64] = [:]
            var volume = 0.0
            var labelled: [Int64: Double] = [:]
            for r in rows {
                windows[r.windowStart] = r.windowEnd
                if r.metric == .volume, let v = r.value { volume += v }
                if r.metric == .labelled, let v = r.value, v > 0 { labelled[r.windowStart] = v }
            }
            let upper = max(to, windows.values.max() ?? to)
            let jobs = try RetrainHistory.finished(modelID: modelID, from: from, to: upper, on: connection)
            var report = ModelReport(
                model: model, from: from, to: to, generatedAt: WallClock.microseconds(),
                referenceSource: reference?.source, referenceRows: reference?.rowCount,
                points: rows.map {
                    ModelReport.Point(windowStart: $0.windowStart, windowEnd: $0.windowEnd, figure: $0.figure)
                },
                alerts: alerts.map { alert($0, windows: windows) },
                retraining: jobs.map(retraining))
            guard let first = windows.keys.min(), let last = windows.values.max() else { return report }

            let traffic = reference.flatMap { trafficSelection($0.source) }
            let comparison = Self.comparison(
                reference: reference, traffic: traffic, labelled: labelled, windows: windows)
            let columns = max(1, model.features.count)
            let cap = max(1, valueBudget / columns)
            let everyNth = volume > Double(cap) ? Int(clampingFinite: (volume / Double(cap)).rounded(.up), nan: 1) : 1
            var builder = CurrentSideBuilder(model: model, reference: reference?.profile, comparison: comparison)
            try scan(
                into: &builder, modelID: modelID, window: .timeRange(from: first, to: last), baseline: traffic,
                everyNth: everyNth, on: connection)
            let sampled =
                everyNth > 1
                ? "a deterministic sample (1 in \(everyNth) by prediction id) of the windows' "
                    + "\(Int(clampingFinite: volume)) events: \(builder.events) events read"
                : "all \(builder.events) stored events of the windows"
            report.currentNote =
                "Current distributions: \(sampled) (\(RFC3339.text(microseconds: first)) – "
                + "\(RFC3339.text(microseconds: last)))."
            report.distributions = builder.distributions(note: nil)
            report.errorAnalysis = builder.errorAnalysis(
                note: "Labelled predictions of the report's windows (\(sampled)); the latest window's labels may "
                    + "still be arriving.")
            return report
        }
    }

    /// Adds the stored events of the report's windows to `builder`, and the labelled events of the
    /// reference traffic (`baseline`) when the reference was taken from stored traffic; every `everyNth`
    /// by prediction id.
    static func scan(
        into builder: inout CurrentSideBuilder, modelID: Int64, window: PredictionScan.Selection,
        baseline: PredictionScan.Selection?, everyNth: Int, on connection: PostgresConnection
    ) throws {
        try ReportScan.forEach(modelID: modelID, window, everyNth: everyNth, on: connection) { batch in
            for row in batch {
                builder.add(
                    eventTime: row.eventTime, numeric: row.numeric, categorical: row.categorical,
                    prediction: row.prediction, score: row.score, label: row.label, labelValue: row.labelValue)
            }
        }
        guard let baseline else { return }
        try ReportScan.forEach(modelID: modelID, baseline, everyNth: everyNth, labelledOnly: true, on: connection) {
            batch in
            for row in batch {
                builder.addBaseline(prediction: row.prediction, label: row.label, labelValue: row.labelValue)
            }
        }
    }

    /// The before/after comparison of the error analysis (documented in the report's methods): the
    /// reference traffic when the reference was taken from stored traffic, else the earliest and latest
    /// quarter of the labelled windows.
    static func comparison(
        reference: ReferenceStore.Stored?, traffic: PredictionScan.Selection?, labelled: [Int64: Double],
        windows: [Int64: Int64]
    ) -> CurrentSideBuilder.Comparison {
        if let reference, traffic != nil {
            return .referenceTraffic(name: "reference traffic (\(reference.source))")
        }
        let labelledStarts = labelled.keys.sorted()
        guard labelledStarts.count >= 2 else { return .none }
        let q = max(1, labelledStarts.count / 4)
        let early = labelledStarts[0]..<(windows[labelledStarts[q - 1]] ?? labelledStarts[q - 1])
        let lateStart = labelledStarts[labelledStarts.count - q]
        let late = lateStart..<(windows[labelledStarts[labelledStarts.count - 1]] ?? lateStart)
        return .windows(
            early: early, late: late, earlyName: "earliest \(q) labelled window\(q == 1 ? "" : "s")",
            lateName: "latest \(q) labelled window\(q == 1 ? "" : "s")")
    }

    /// An alert with its span on the windows' axis: its breaching windows counted back from the last window it
    /// was judged on (`last_window_start`; `breaches` breaching windows, then `clear_windows` clear ones). Exact
    /// when the breaches were consecutive (a firing alert kept through a clear window counts one more).
    static func alert(_ a: AlertStore.Stored, windows: [Int64: Int64]) -> ModelReport.Alert {
        var report = ModelReport.Alert(
            rule: a.rule, state: a.state.rawValue, severity: a.severity, labels: a.labelsJSON, startsAt: a.startsAt,
            endsAt: a.endsAt)
        let starts = windows.keys.sorted()
        guard let last = a.lastWindowStart, let i = starts.firstIndex(of: last) else { return report }
        let lastBreach = i - a.lifecycle.clearWindows
        let firstBreach = lastBreach - max(0, a.lifecycle.breaches - 1)
        guard lastBreach >= 0 else { return report }
        report.windowFrom = starts[max(0, firstBreach)]
        if a.state == .resolved { report.windowTo = windows[starts[lastBreach]] }
        return report
    }

    /// The events a reference taken from traffic was built from (`first_events:N`, `time_range:A/B`).
    static func trafficSelection(_ source: String) -> PredictionScan.Selection? {
        if source.hasPrefix("first_events:"), let n = Int(source.dropFirst("first_events:".count)) {
            return .first(n)
        }
        if source.hasPrefix("time_range:") {
            let range = source.dropFirst("time_range:".count).split(separator: "/", maxSplits: 1).map(String.init)
            if range.count == 2, let a = RFC3339.microseconds(range[0]), let b = RFC3339.microseconds(range[1]) {
                return .timeRange(from: a, to: b)
            }
        }
        return nil
    }

    /// A finished job as the report shows it; its result document is read leniently (a job written by an
    /// older trainer may lack members).
    static func retraining(_ job: RetrainHistory.Job) -> ModelReport.Retraining {
        var decision: String?
        var metric: String?
        var champion: Double?
        var challenger: Double?
        var version: Int?
        if let text = job.resultJSON, let result = try? JSONValue.parse(text) {
            if case .string(let s)? = result["decision"] { decision = s }
            if case .string(let s)? = result["metric"] { metric = s }
            if case .number(let v)? = result["champion"] { champion = v }
            if case .number(let v)? = result["challenger"] { challenger = v }
            if case .number(let v)? = result["version"], v == v.rounded(), abs(v) < 1e9 { version = Int(v) }
        }
        return ModelReport.Retraining(
            finishedAt: job.axisTime, status: job.status, reason: job.reason, decision: decision, metric: metric,
            champion: champion, challenger: challenger, version: version, error: job.error)
    }
}
