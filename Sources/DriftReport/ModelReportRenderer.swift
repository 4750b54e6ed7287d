import DriftCore

/// Renders a `ModelReport` as one self-contained HTML page: inline CSS and SVG, no scripts, no external
/// fonts, images or requests; every user-provided string escaped; well-formed (every element closed), so
/// it also parses as XML.
///
/// Sections: summary (latest window's verdict, drifted features ranked by severity, open alerts, realized
/// performance, latency, volume, the time range and the reference), per feature (the latest window's tests
/// and the drift statistic over time against its threshold), performance over time (with label coverage),
/// latency and volume over time, alerts, and the methods appendix.
public enum ModelReportRenderer {
    public static func render(_ r: ModelReport) -> String {
        let windows = Dictionary(grouping: r.points, by: \.windowStart)
        let starts = windows.keys.sorted()
        var html = head("Driftwatch · \(r.model.name)")
        html += "<h1>Model <code>\(HTML.escape(r.model.name))</code></h1>"
        html += "<p class=\"muted\">\(HTML.escape(r.model.task.rawValue)) model · windows from "
        html += "\(HTML.escape(RFC3339.text(microseconds: r.from))) to \(HTML.escape(RFC3339.text(microseconds: r.to)))"
        html += " · \(starts.count) window\(starts.count == 1 ? "" : "s") · reference: "
        html += r.referenceSource.map { "\(HTML.escape($0)) (\(r.referenceRows ?? 0) rows)" } ?? "none yet"
        html += " · generated \(HTML.escape(RFC3339.text(microseconds: r.generatedAt)))</p>"
        guard let latest = starts.last, let latestPoints = windows[latest] else {
            return html + "<p>No closed window in this time range.</p>" + appendix(r.model) + "</body></html>\n"
        }
        html += summary(r, latestPoints)
        html += features(r, latestPoints)
        html += "<h2>Performance over time</h2>"
        html += chart(
            r, metrics: ["accuracy", "label_coverage"], averaged: ["f1", "precision", "recall"], percent: true)
        html += "<h2>Latency over time (ms)</h2>"
        html += chart(r, metrics: ["latency_p50", "latency_p95", "latency_p99"], averaged: [], percent: false)
        html += "<h2>Volume over time</h2>"
        html += chart(r, metrics: ["volume", "late_events"], averaged: [], percent: false)
        html += alertsTable(r)
        html += appendix(r.model)
        return html + "</body></html>\n"
    }

    static func head(_ title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><title>\(HTML.escape(title))</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:980px;color:#1f2328;padding:0 1rem}
        h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
        h3{font-size:1.05rem;margin-bottom:.3rem}
        table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;border-bottom:1px solid #eaeef2;text-align:left}
        th{font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
        .drift{color:#d1242f;font-weight:600}.ok{color:#1a7f37}.muted{color:#656d76}
        .cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem;min-width:8rem}
        .card b{display:block;font-size:1.3rem}.axis{font-size:10px;fill:#656d76}
        .legend span{margin-right:1rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
        code{background:#f6f8fa;padding:0 .25rem;border-radius:4px}
        </style></head><body>
        """
    }

    static func value(_ points: [ModelReport.Point], _ metric: String, method: String = "") -> WindowFigure? {
        points.first { $0.figure.metric == metric && $0.figure.method == method && $0.figure.feature.isEmpty }?.figure
    }

    /// How far a test is past its threshold (≥ 1 drifted): threshold/p for p-values, value/threshold otherwise.
    static func severity(_ f: WindowFigure) -> Double {
        guard let v = f.value, let t = f.threshold, t > 0 else { return 0 }
        return f.metric == "p_value" ? t / max(v, 1e-300) : v / t
    }

    static func summary(_ r: ModelReport, _ points: [ModelReport.Point]) -> String {
        guard let first = points.first else { return "" }
        var html = "<h2>Summary: latest window \(HTML.escape(RFC3339.text(microseconds: first.windowStart))) – "
        html += "\(HTML.escape(RFC3339.text(microseconds: first.windowEnd)))</h2>"
        let ratio = value(points, "drifted_feature_ratio")
        if let ratio {
            let drift = ratio.drift == true
            html += "<p class=\"\(drift ? "drift" : "ok")\">\(drift ? "Dataset drift" : "No dataset drift"): "
            html +=
                "\(HTML.number(value(points, "drifted_features")?.value)) of \(r.model.features.count) features drifted "
            html += "(share \(HTML.number(ratio.value)), threshold \(HTML.number(ratio.threshold)))</p>"
        } else {
            html += "<p class=\"muted\">No drift figures (no reference when this window closed).</p>"
        }
        let open = r.alerts.filter { $0.state != "resolved" }
        html += "<div class=\"cards\">"
        let cards: [(String, String)] = [
            ("events", HTML.number(value(points, "volume")?.value)),
            ("open alerts", String(open.count)),
            ("F1 (macro)", HTML.number(value(points, "f1", method: "macro")?.value)),
            ("precision", HTML.number(value(points, "precision", method: "macro")?.value)),
            ("recall", HTML.number(value(points, "recall", method: "macro")?.value)),
            ("accuracy", HTML.number(value(points, "accuracy")?.value)),
            ("MAE", HTML.number(value(points, "mae")?.value)),
            ("label coverage", HTML.number(value(points, "label_coverage")?.value)),
            ("latency p95 (ms)", HTML.number(value(points, "latency_p95")?.value)),
            ("latency p99 (ms)", HTML.number(value(points, "latency_p99")?.value)),
        ]
        for (name, text) in cards where text != "–" || name == "open alerts" {
            html += "<div class=\"card\"><b>\(text)</b>\(HTML.escape(name))</div>"
        }
        html += "</div>"
        let drifted = points.map(\.figure).filter { $0.metric == "drift_statistic" && $0.drift == true }
            .sorted { severity($0) > severity($1) }
        if !drifted.isEmpty {
            html += "<h3>Drifted features, most severe first</h3><table><thead><tr><th>feature</th><th>method</th>"
            html += "<th class=\"num\">statistic</th><th class=\"num\">threshold</th></tr></thead><tbody>"
            for f in drifted {
                html += "<tr><td>\(HTML.escape(f.feature))</td><td>\(HTML.escape(f.method))</td>"
                html +=
                    "<td class=\"num\">\(HTML.number(f.value))</td><td class=\"num\">\(HTML.number(f.threshold))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return html
    }

    static func features(_ r: ModelReport, _ latest: [ModelReport.Point]) -> String {
        var names = r.model.features.map(\.name)
        for extra in ["prediction", "score"] where latest.contains(where: { $0.figure.feature == extra }) {
            names.append(extra)
        }
        var html = "<h2>Features</h2>"
        for name in names {
            let tests = latest.map(\.figure).filter { $0.feature == name && $0.metric == "drift_statistic" }
            let drifted = tests.contains { $0.drift == true }
            html += "<h3 class=\"\(drifted ? "drift" : "")\">\(HTML.escape(name))\(drifted ? " — drifted" : "")</h3>"
            if let missing = latest.first(where: { $0.figure.feature == name && $0.figure.metric == "missing_rate" }) {
                html += "<p class=\"muted\">missing in the latest window: \(HTML.number(missing.figure.value))</p>"
            }
            guard !tests.isEmpty else {
                html += "<p class=\"muted\">no drift figures</p>"
                continue
            }
            html += "<table><thead><tr><th>method</th><th class=\"num\">statistic</th><th class=\"num\">p-value</th>"
            html += "<th class=\"num\">threshold</th><th>verdict</th></tr></thead><tbody>"
            for t in tests {
                let p = latest.first {
                    $0.figure.metric == "p_value" && $0.figure.feature == name && $0.figure.method == t.method
                }?.figure.value
                html += "<tr><td>\(HTML.escape(t.method))</td><td class=\"num\">\(HTML.number(t.value))</td>"
                html += "<td class=\"num\">\(HTML.number(p))</td><td class=\"num\">\(HTML.number(t.threshold))</td>"
                html +=
                    "<td class=\"\(t.drift == true ? "drift" : "ok")\">\(t.drift == true ? "drift" : "no")</td></tr>"
            }
            html += "</tbody></table>"
            for t in tests {
                let metric = t.method == "ks" || t.method == "chi_square" ? "p_value" : "drift_statistic"
                let series = r.points.filter {
                    $0.figure.feature == name && $0.figure.method == t.method && $0.figure.metric == metric
                }.sorted { $0.windowStart < $1.windowStart }
                guard series.count > 1 else { continue }
                let label = metric == "p_value" ? "\(t.method) p-value" : t.method
                html += "<p class=\"muted\">\(HTML.escape(label)) over time (dashed: threshold)</p>"
                html += SVGChart.lines(
                    [
                        SVGChart.Series(
                            name: label, points: series.compactMap { p in p.figure.value.map { (p.windowStart, $0) } })
                    ],
                    threshold: t.threshold, height: 140)
            }
        }
        return html
    }

    static func chart(_ r: ModelReport, metrics: [String], averaged: [String], percent: Bool) -> String {
        var series: [SVGChart.Series] = []
        for metric in averaged {
            let points = r.points.filter {
                $0.figure.metric == metric && $0.figure.method == "macro" && $0.figure.classLabel.isEmpty
            }
            if !points.isEmpty { series.append(make("\(metric) (macro)", points)) }
        }
        for metric in metrics {
            let points = r.points.filter {
                $0.figure.metric == metric && $0.figure.feature.isEmpty && $0.figure.method.isEmpty
            }
            if !points.isEmpty { series.append(make(metric, points)) }
        }
        return series.isEmpty ? "<p class=\"muted\">no figures</p>" : SVGChart.lines(series, percent: percent)
    }

    static func make(_ name: String, _ points: [ModelReport.Point]) -> SVGChart.Series {
        SVGChart.Series(
            name: name,
            points: points.sorted { $0.windowStart < $1.windowStart }.compactMap { p in
                p.figure.value.map { (p.windowStart, $0) }
            })
    }

    static func alertsTable(_ r: ModelReport) -> String {
        var html = "<h2>Alerts</h2>"
        guard !r.alerts.isEmpty else { return html + "<p class=\"muted\">none</p>" }
        html +=
            "<table><thead><tr><th>rule</th><th>state</th><th>severity</th><th>labels</th><th>since</th><th>until</th></tr></thead><tbody>"
        for a in r.alerts {
            html +=
                "<tr><td>\(HTML.escape(a.rule))</td><td class=\"\(a.state == "firing" ? "drift" : "")\">\(HTML.escape(a.state))</td>"
            html += "<td>\(HTML.escape(a.severity))</td><td><code>\(HTML.escape(a.labels))</code></td>"
            html += "<td>\(HTML.escape(RFC3339.text(microseconds: a.startsAt)))</td>"
            html += "<td>\(HTML.escape(a.endsAt.map { RFC3339.text(microseconds: $0) } ?? "–"))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    static func appendix(_ model: ModelConfiguration) -> String {
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
        html += "<li>Latency quantiles from an HdrHistogram (3 significant digits).</li></ul>"
        return html
    }

    static func windowText(_ w: WindowSpecification) -> String {
        switch w {
        case .duration(let seconds): return "tumbling, \(seconds) s in event time"
        case .events(let n): return "\(n) events each"
        }
    }
}
