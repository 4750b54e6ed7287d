import DriftCore
import DriftTables

/// Renders a `ModelReport` as one self-contained HTML page: inline CSS and SVG, no scripts, no external
/// fonts, images or requests; every user-provided string escaped; well-formed (every element closed), so
/// it also parses as XML.
///
/// Sections: summary (latest window's verdict, drifted features ranked by severity with the window they
/// have drifted since, open alerts, realized performance, latency, volume, the time range and the
/// reference); over time, on one time axis with the alerts (bands) and finished retraining jobs (lines):
/// the share of drifted features, performance with label coverage, latency and volume; the error analysis
/// (once labels exist); per feature its reference vs current distribution, the latest window's tests and
/// every method's statistic over time against its threshold; the alerts and retraining tables; the methods.
///
/// Size: every chart is compact (see `SVGChart`), so 200 features × 1,000 windows stay under 2 MB; figures
/// are looked up through an index, so rendering is linear in the number of stored figures.
package enum ModelReportRenderer {
    package static func render(_ r: ModelReport) -> String {
        let index = FigureIndex(r.points)
        let starts = index.windowStarts
        var html = head("Driftwatch · \(r.model.name)")
        html += "<h1>Model <code>\(HTML.escape(r.model.name))</code></h1>"
        // The range asked for, narrowed to the windows found in it.
        let shownFrom = max(r.from, starts.first ?? r.from)
        let shownTo = min(r.to, starts.last.flatMap { index.window($0).first?.windowEnd } ?? r.to)
        html += "<p class=\"muted\">\(HTML.escape(r.model.task.rawValue)) model · windows from "
        html += "\(HTML.escape(RFC3339.text(microseconds: shownFrom))) to "
        html += "\(HTML.escape(RFC3339.text(microseconds: shownTo)))"
        html += " · \(starts.count) window\(starts.count == 1 ? "" : "s") · reference: "
        html += r.referenceSource.map { "\(HTML.escape($0)) (\(r.referenceRows ?? 0) rows)" } ?? "none yet"
        html += " · generated \(HTML.escape(RFC3339.text(microseconds: r.generatedAt)))</p>"
        guard let latest = starts.last, let first = starts.first else {
            return html + "<p>No closed window in this time range.</p>" + retrainingTable(r) + appendix(r)
                + "</body></html>\n"
        }
        let latestPoints = index.window(latest)
        // The time axis spans the windows: each window's figures sit at its middle.
        let domain = (first, latestPoints.first?.windowEnd ?? latest)
        html += summary(r, latestPoints, index)
        html += overTime(r, index, domain: domain)
        if let e = r.errorAnalysis { html += ReportSections.errorAnalysis(e) }
        html += features(r, latestPoints, index, domain: domain)
        html += alertsTable(r)
        html += retrainingTable(r)
        html += appendix(r)
        return html + "</body></html>\n"
    }

    static func head(_ title: String) -> String { ReportSections.head(title) }

    static func value(_ points: [ModelReport.Point], _ metric: WindowMetric, method: String = "") -> WindowFigure? {
        points.first { $0.figure.metric == metric && $0.figure.method == method && $0.figure.feature.isEmpty }?.figure
    }

    /// How far a test is past its threshold (≥ 1 drifted): threshold/p for p-values, value/threshold otherwise.
    static func severity(_ f: WindowFigure) -> Double {
        guard let v = f.value, let t = f.threshold, t > 0 else { return 0 }
        return f.metric == .pValue ? t / max(v, 1e-300) : v / t
    }

    /// Whether a method's verdict reads its p-value (its history is drawn as the p-value).
    static func usesPValue(_ method: String) -> Bool { DriftMethod(rawValue: method)?.usesPValue ?? false }

    /// The figure a test's verdict reads: its p-value for KS and chi-square, else its statistic.
    static func verdictFigure(_ t: WindowFigure, _ latest: [ModelReport.Point]) -> WindowFigure {
        guard usesPValue(t.method) else { return t }
        return latest.first {
            $0.figure.metric == .pValue && $0.figure.feature == t.feature && $0.figure.method == t.method
        }?.figure ?? t
    }

    /// The alerts and finished retraining jobs as time-axis events.
    static func events(_ r: ModelReport) -> [SVGChart.Event] {
        var out: [SVGChart.Event] = r.alerts.compactMap { a in
            guard let from = a.windowFrom else { return nil }
            return SVGChart.Event(
                time: from, end: a.windowTo, kind: .alert,
                title: "alert \(a.rule) (\(a.severity), \(a.state)) from the window of \(SVGChart.day(from))")
        }
        for j in r.retraining {
            let kind: SVGChart.Event.Kind =
                j.status == "failed" ? .retrainFailed : j.decision == "promoted" ? .retrainPromoted : .retrainKept
            out.append(
                SVGChart.Event(time: j.finishedAt, kind: kind, title: retrainingText(j)))
        }
        return out
    }

    static func retrainingText(_ j: ModelReport.Retraining) -> String {
        var text = "retraining (\(j.reason)) \(j.status) \(RFC3339.text(microseconds: j.finishedAt))"
        if let d = j.decision { text += ": \(d)" }
        if let m = j.metric { text += ", \(m) \(HTML.number(j.champion)) → \(HTML.number(j.challenger))" }
        if let v = j.version { text += ", version \(v)" }
        if let e = j.error { text += ": \(e)" }
        return text
    }

    static func summary(_ r: ModelReport, _ points: [ModelReport.Point], _ index: FigureIndex) -> String {
        guard let first = points.first else { return "" }
        var html = "<h2>Summary: latest window \(HTML.escape(RFC3339.text(microseconds: first.windowStart))) – "
        html += "\(HTML.escape(RFC3339.text(microseconds: first.windowEnd)))</h2>"
        let ratio = value(points, .driftedFeatureRatio)
        if let ratio {
            let drift = ratio.drift == true
            html += "<p class=\"\(drift ? "drift" : "ok")\">\(drift ? "Dataset drift" : "No dataset drift"): "
            html +=
                "\(HTML.number(value(points, .driftedFeatures)?.value)) of \(r.model.features.count) features drifted "
            html += "(share \(HTML.number(ratio.value)), threshold \(HTML.number(ratio.threshold)))</p>"
        } else {
            html += "<p class=\"muted\">No drift figures (no reference when this window closed).</p>"
        }
        let open = r.alerts.filter { $0.state != "resolved" }
        html += "<div class=\"cards\">"
        let cards: [(String, String)] = [
            ("events", HTML.number(value(points, .volume)?.value)),
            ("open alerts", String(open.count)),
            ("F1 (macro)", HTML.number(value(points, .f1, method: "macro")?.value)),
            ("precision", HTML.number(value(points, .precision, method: "macro")?.value)),
            ("recall", HTML.number(value(points, .recall, method: "macro")?.value)),
            ("accuracy", HTML.number(value(points, .accuracy)?.value)),
            ("MAE", HTML.number(value(points, .mae)?.value)),
            ("label coverage", HTML.number(value(points, .labelCoverage)?.value)),
            ("latency p95 (ms)", HTML.number(value(points, .latencyP95)?.value)),
            ("latency p99 (ms)", HTML.number(value(points, .latencyP99)?.value)),
        ]
        for (name, text) in cards where text != "–" || name == "open alerts" {
            html += "<div class=\"card\"><b>\(text)</b>\(HTML.escape(name))</div>"
        }
        if value(points, .f1, method: "macro") == nil, let realized = realizedF1(index) {
            html += "<div class=\"card\"><b>\(HTML.number(realized))</b>F1 (macro), labelled windows</div>"
        }
        html += "</div>"
        let drifted = points.map(\.figure).filter { $0.metric == .driftStatistic && $0.drift == true }
            .map { ($0, verdictFigure($0, points)) }
            .sorted { severity($0.1) > severity($1.1) }
        if !drifted.isEmpty {
            html += "<h3>Drifted features, most severe first</h3><table><thead><tr><th>feature</th><th>method</th>"
            html += "<th class=\"num\">statistic</th><th class=\"num\">p-value</th><th class=\"num\">threshold</th>"
            html += "<th>drifting since</th></tr></thead><tbody>"
            for (f, verdict) in drifted {
                let p = verdict.metric == .pValue ? verdict.value : nil
                html += "<tr><td>\(HTML.escape(f.feature))</td><td>\(HTML.escape(f.method))</td>"
                html += "<td class=\"num\">\(HTML.number(f.value))</td><td class=\"num\">\(HTML.number(p))</td>"
                html += "<td class=\"num\">\(HTML.number(f.threshold))</td>"
                let since = index.driftingSince(feature: f.feature, method: f.method)
                html += "<td>\(HTML.escape(since.map { SVGChart.day($0) } ?? "–"))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html
    }

    /// The macro F1 of the latest window that has labelled predictions (labels arrive late, so the latest
    /// window often has none yet; the card shows only then).
    static func realizedF1(_ index: FigureIndex) -> Double? {
        index.series(.f1, method: "macro").last { $0.figure.value != nil }?.figure.value
    }

    static func overTime(_ r: ModelReport, _ index: FigureIndex, domain: (Int64, Int64)) -> String {
        let events = events(r)
        var html = "<h2>Over time</h2>"
        html += "<p class=\"muted\">One point per window (at its middle); shaded: alerts; vertical lines: "
        html += "finished retraining jobs.</p>"
        let ratio = index.series(.driftedFeatureRatio)
        if !ratio.isEmpty {
            html += "<h3>Share of drifted features (dashed: the dataset threshold)</h3>"
            html += SVGChart.lines(
                [make("drifted feature share", ratio)], threshold: ratio.last?.figure.threshold, domain: domain,
                events: events, height: 150, percent: true)
        }
        if r.model.task == .regression {
            html += "<h3>Performance (realized, as labels arrive)</h3>"
            html += chart(index, metrics: [.mae, .rmse], averaged: [], percent: false, domain, events)
            html += chart(index, metrics: [.labelCoverage], averaged: [], percent: true, domain, events, height: 110)
        } else {
            html += "<h3>Performance (realized, as labels arrive) with label coverage</h3>"
            html += chart(
                index, metrics: [.accuracy, .labelCoverage], averaged: [.f1, .precision, .recall],
                percent: true, domain, events)
        }
        if !index.series(.latencyP50).isEmpty || !index.series(.latencyP99).isEmpty {
            html += "<h3>Latency (ms)</h3>"
            html += chart(
                index, metrics: [.latencyP50, .latencyP95, .latencyP99], averaged: [], percent: false, domain,
                events)
        }
        html += "<h3>Volume</h3>"
        html += chart(index, metrics: [.volume, .lateEvents], averaged: [], percent: false, domain, events)
        return html
    }

    static func features(
        _ r: ModelReport, _ latest: [ModelReport.Point], _ index: FigureIndex, domain: (Int64, Int64)
    ) -> String {
        var names = r.model.features.map(\.name)
        for extra in ["prediction", "score"]
        where latest.contains(where: { $0.figure.feature == extra }) || r.distributions[extra] != nil {
            names.append(extra)
        }
        var byFeature: [String: [WindowFigure]] = [:]
        for p in latest where !p.figure.feature.isEmpty { byFeature[p.figure.feature, default: []].append(p.figure) }
        var html = "<h2>Features</h2>"
        if let note = r.currentNote { html += "<p class=\"muted\">\(HTML.escape(note))</p>" }
        for name in names {
            let figures = byFeature[name] ?? []
            let tests = figures.filter { $0.metric == .driftStatistic }
            let drifted = tests.contains { $0.drift == true }
            html += "<h3 class=\"\(drifted ? "drift" : "")\">\(HTML.escape(name))\(drifted ? " — drifted" : "")</h3>"
            if let missing = figures.first(where: { $0.metric == .missingRate }) {
                html += "<p class=\"muted\">missing in the latest window: \(HTML.number(missing.value))</p>"
            }
            html += "<div class=\"fx\">"
            if let d = r.distributions[name] {
                html += ReportSections.distribution(d)
            }
            if tests.isEmpty {
                html += "<p class=\"muted\">no drift figures</p>"
            } else {
                html +=
                    "<table><thead><tr><th>method</th><th class=\"num\">statistic</th><th class=\"num\">p-value</th>"
                html += "<th class=\"num\">threshold</th><th>verdict</th></tr></thead><tbody>"
                for t in tests {
                    let p = figures.first { $0.metric == .pValue && $0.method == t.method }?.value
                    html += "<tr><td>\(HTML.escape(t.method))</td><td class=\"num\">\(HTML.number(t.value))</td>"
                    html += "<td class=\"num\">\(HTML.number(p))</td><td class=\"num\">\(HTML.number(t.threshold))</td>"
                    html +=
                        "<td class=\"\(t.drift == true ? "drift" : "ok")\">\(t.drift == true ? "drift" : "no")</td></tr>"
                }
                html += "</tbody></table>"
            }
            html += "</div>"
            var small = ""
            for t in tests {
                let pValue = usesPValue(t.method)
                let series = index.series(pValue ? .pValue : .driftStatistic, feature: name, method: t.method)
                guard series.count > 1 else { continue }
                let label = pValue ? "\(t.method) p-value" : t.method
                small += "<div><p class=\"muted\">\(HTML.escape(label)) over time (dashed: threshold)</p>"
                small += SVGChart.lines(
                    [make(label, series)], threshold: t.threshold, domain: domain, width: 310, height: 90,
                    percent: pValue, reduction: pValue ? .minimum : .maximum, legend: false)
                small += "</div>"
            }
            if !small.isEmpty { html += "<div class=\"sm\">\(small)</div>" }
        }
        return html
    }

    static func chart(
        _ index: FigureIndex, metrics: [WindowMetric], averaged: [WindowMetric], percent: Bool,
        _ domain: (Int64, Int64),
        _ events: [SVGChart.Event], height: Int = 170
    ) -> String {
        var series: [SVGChart.Series] = []
        for metric in averaged {
            let points = index.series(metric, method: "macro")
            if !points.isEmpty { series.append(make("\(metric) (macro)", points)) }
        }
        for metric in metrics {
            let points = index.series(metric)
            if !points.isEmpty { series.append(make(metric.rawValue.replacingOccurrences(of: "_", with: " "), points)) }
        }
        return series.isEmpty
            ? "<p class=\"muted\">no figures</p>"
            : SVGChart.lines(series, domain: domain, events: events, height: height, percent: percent)
    }

    static func make(_ name: String, _ points: [ModelReport.Point]) -> SVGChart.Series {
        SVGChart.Series(
            name: name,
            points: points.compactMap { p in
                p.figure.value.map { (middle(p.windowStart, p.windowEnd), $0) }
            })
    }

    /// `a + (b - a) / 2`, without overflow for stored times far apart (then the halves' sum).
    static func middle(_ a: Int64, _ b: Int64) -> Int64 {
        let (d, overflow) = b.subtractingReportingOverflow(a)
        return overflow ? a / 2 + b / 2 : a + d / 2
    }

    static func alertsTable(_ r: ModelReport) -> String {
        var html = "<h2>Alerts</h2>"
        guard !r.alerts.isEmpty else { return html + "<p class=\"muted\">none</p>" }
        html +=
            "<table><thead><tr><th>rule</th><th>state</th><th>severity</th><th>labels</th><th>windows</th><th>since</th><th>until</th></tr></thead><tbody>"
        for a in r.alerts {
            html +=
                "<tr><td>\(HTML.escape(a.rule))</td><td class=\"\(a.state == "firing" ? "drift" : "")\">\(HTML.escape(a.state))</td>"
            html += "<td>\(HTML.escape(a.severity))</td><td><code>\(HTML.escape(a.labels))</code></td>"
            let span = a.windowFrom.map { SVGChart.day($0) + " → " + (a.windowTo.map(SVGChart.day) ?? "now") } ?? "–"
            html += "<td>\(HTML.escape(span))</td>"
            html += "<td>\(HTML.escape(RFC3339.text(microseconds: a.startsAt)))</td>"
            html += "<td>\(HTML.escape(a.endsAt.map { RFC3339.text(microseconds: $0) } ?? "–"))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    static func retrainingTable(_ r: ModelReport) -> String {
        var html = "<h2>Retraining</h2>"
        guard !r.retraining.isEmpty else { return html + "<p class=\"muted\">no finished retraining job</p>" }
        html += "<table><thead><tr><th>finished</th><th>reason</th><th>status</th><th>decision</th><th>metric</th>"
        html += "<th class=\"num\">champion</th><th class=\"num\">challenger</th><th class=\"num\">version</th>"
        html += "</tr></thead><tbody>"
        for j in r.retraining {
            let cls = j.status == "failed" ? "drift" : j.decision == "promoted" ? "ok" : ""
            html += "<tr><td>\(HTML.escape(RFC3339.text(microseconds: j.finishedAt)))</td>"
            html += "<td>\(HTML.escape(j.reason))</td><td class=\"\(cls)\">\(HTML.escape(j.status))</td>"
            html += "<td>\(HTML.escape(j.decision ?? j.error ?? "–"))</td><td>\(HTML.escape(j.metric ?? "–"))</td>"
            html +=
                "<td class=\"num\">\(HTML.number(j.champion))</td><td class=\"num\">\(HTML.number(j.challenger))</td>"
            html += "<td class=\"num\">\(j.version.map(String.init) ?? "–")</td></tr>"
        }
        return html + "</tbody></table>"
    }

    static func appendix(_ r: ModelReport) -> String {
        let model = r.model
        let d = model.drift
        var html = "<h2>Methods</h2><ul>"
        html +=
            "<li>Windows: \(HTML.escape(windowText(model.window))), allowed lateness \(model.allowedLatenessSeconds) s; "
        html += "each closed window is compared with the model's reference profile.</li>"
        html += "<li>Numeric features: \(d.numericMethods.map(\.rawValue).joined(separator: ", ")); categorical: "
        html +=
            "\(d.categoricalMethods.map(\.rawValue).joined(separator: ", ")) (per-feature overrides as configured).</li>"
        html +=
            "<li>KS: two-sample, two-sided, as <code>scipy.stats.ks_2samp(method='auto')</code> (exact p-value up to "
        html += "10,000 values per side, else <code>kstwo</code>). Chi-square: the 2×K contingency table as "
        html += "<code>scipy.stats.chi2_contingency</code>.</li>"
        html += "<li>PSI, Jensen–Shannon (natural log) and Hellinger on \(HTML.escape(d.binning.rawValue)) bins "
        html += "(\(d.bins) quantile bins of the reference; empty bins clipped at ε = 1e-4 for PSI).</li>"
        html += "<li>Past 10,000 window values (or 100,000 reference values) a numeric column is compared on the "
        html += "reference's 1,000-bin quantile grid: binned methods stay exact, KS and Wasserstein are stated "
        html += "approximations (see the README).</li>"
        html += "<li>Thresholds: p-value α 0.05 for KS and chi-square, 0.1 for the others"
        if !d.thresholds.isEmpty {
            html +=
                "; overridden: "
                + d.thresholds.keys.sorted { $0.rawValue < $1.rawValue }.map {
                    "\($0.rawValue) \(HTML.number(d.thresholds[$0]))"
                }.joined(separator: ", ")
        }
        html +=
            ". A feature drifts when any of its tests does; the dataset drifts when at least half of the features do.</li>"
        html += "<li>Realized performance as scikit-learn computes it (<code>zero_division=0</code>), from the "
        html += "predictions that have a label; label coverage = labelled / volume.</li>"
        html += "<li>Latency quantiles from an HdrHistogram (3 significant digits).</li>"
        html += "<li>Distributions: the reference from its stored profile (its values when kept, else its "
        html += "1,000-bin quantile grid spread uniformly within each grid bin); the current side from the stored "
        html += "predictions of the report's windows (a deterministic sample by prediction id when they hold more "
        html += "values than the report reads, see the note under Features). Numeric: 30 equal-width bins (one per "
        html += "integer for integer values) over the 0.5–99.5 % range of both sides; the outer bins also hold the "
        html += "values beyond. Categorical: the \(Distribution.topCategories - 1) categories with the largest share "
        html += "on either side, the rest as one bar.</li>"
        html += "<li>Error analysis: a row's error is 1 when the predicted class differs from the label (0 "
        html += "otherwise; the segment's figure is its error rate) or the absolute error (regression; its MAE). "
        html += "Segments: each categorical value, each decile of a numeric feature cut on the reference, and the "
        html += "rows where the feature is missing. Added error = rows × (segment figure − overall figure). "
        html += "Before/after: the labelled predictions of the reference's traffic range when the reference was "
        html += "taken from traffic, against all labelled predictions of the report; otherwise the earliest quarter "
        html += "of the labelled windows against the latest quarter.</li>"
        html += "<li>Chart lines keep at most the extremes of each pixel column (the highest statistic, or the "
        html += "lowest p-value, for drift histories).</li></ul>"
        return html
    }

    static func windowText(_ w: WindowSpecification) -> String {
        switch w {
        case .duration(let seconds): return "tumbling, \(seconds) s in event time"
        case .events(let n): return "\(n) events each"
        }
    }
}
