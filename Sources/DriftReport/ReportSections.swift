/// The parts agent and offline reports share: the page head (one style sheet), a column's reference vs
/// current distribution chart, and the error analysis section.
enum ReportSections {
    static func head(_ title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><title>\(HTML.escape(title))</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;margin:1.5rem auto;max-width:1000px;color:#1f2328;padding:0 1rem;font-size:14px}
        h1{font-size:1.6rem;margin-bottom:.3rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
        h3{font-size:1.05rem;margin:1.2rem 0 .3rem}h4{font-size:.95rem;margin:.6rem 0 .2rem}
        table{border-collapse:collapse;margin:.4rem 0}td,th{padding:.15rem .5rem;border-bottom:1px solid #eaeef2;text-align:left}
        th{font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
        .drift{color:#d1242f;font-weight:600}.ok{color:#1a7f37}.muted{color:#656d76}p{margin:.3rem 0}
        .cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.5rem 0}.card{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .7rem;min-width:7rem}
        .card b{display:block;font-size:1.25rem}.fx{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
        .sm{display:flex;flex-wrap:wrap;gap:.2rem 1rem}.sm p{margin:0;font-size:.8rem}
        .eb{display:inline-block;height:.6rem;background:#d1242f;opacity:.7;vertical-align:middle}
        .cm td{text-align:right;min-width:2.5rem}.up{background:#ffebe9}.down{background:#dafbe1}
        details{margin:.2rem 0}summary{cursor:pointer}
        code{background:#f6f8fa;padding:0 .25rem;border-radius:4px}
        \(SVGChart.style)
        </style></head><body>
        """
    }

    /// A column's reference vs current distribution: overlaid histograms (numeric) or side-by-side bars.
    static func distribution(_ d: Distribution, width: Int = 460) -> String {
        let r = Distribution.shares(d.reference)
        let c = Distribution.shares(d.current)
        var html = "<div>"
        switch d.bins {
        case .numeric(let edges):
            html += SVGChart.histogram(edges: edges, reference: r, current: c, width: width, height: 140)
        case .categorical(let labels):
            html += SVGChart.bars(labels: labels, reference: r, current: c, width: width, height: 150)
        }
        if let note = d.note { html += "<p class=\"muted\">\(HTML.escape(note))</p>" }
        return html + "</div>"
    }

    /// The error analysis: overall figures, the segments adding the most error, the confusion matrices before
    /// and after (or the MAE), and per feature every segment (collapsed).
    static func errorAnalysis(_ e: ErrorAnalysis, featureLabel: String = "feature") -> String {
        let measure = e.measure.title
        var html = "<h2>Error analysis</h2><p class=\"muted\">\(HTML.escape(e.note))</p><div class=\"cards\">"
        html += "<div class=\"card\"><b>\(e.labelled)</b>labelled rows</div>"
        html += "<div class=\"card\"><b>\(HTML.number(e.overall))</b>\(measure)</div>"
        for side in [e.baseline, e.latest].compactMap({ $0 }) {
            html += "<div class=\"card\"><b>\(HTML.number(side.error))</b>\(measure), \(HTML.escape(side.name))</div>"
        }
        html += "</div>"
        let top = e.top()
        html += "<h3>Segments adding the most error</h3>"
        if top.isEmpty {
            html += "<p class=\"muted\">No segment is above the overall \(measure).</p>"
        } else {
            let scale = top.map(\.added).max() ?? 1
            html += "<table><thead><tr><th>\(featureLabel)</th><th>segment</th><th class=\"num\">rows</th>"
            html += "<th class=\"num\">\(measure)</th><th class=\"num\">overall</th>"
            html += "<th class=\"num\">added error</th><th></th></tr></thead><tbody>"
            for s in top {
                html += "<tr><td>\(HTML.escape(s.feature))</td><td>\(HTML.escape(s.segment))</td>"
                html += "<td class=\"num\">\(s.count)</td><td class=\"num\">\(HTML.number(s.error))</td>"
                html += "<td class=\"num\">\(HTML.number(e.overall))</td><td class=\"num\">\(HTML.number(s.added))</td>"
                html += "<td><i class=\"eb\" style=\"width:\(SVGChart.pixel(80 * s.added / scale))px\"></i></td></tr>"
            }
            html += "</tbody></table>"
        }
        html += comparison(e)
        html += "<h3>Error by \(featureLabel)</h3>"
        var byFeature: [String: [ErrorAnalysis.Segment]] = [:]
        for s in e.segments { byFeature[s.feature, default: []].append(s) }
        for name in e.features {
            guard let segments = byFeature[name], !segments.isEmpty else { continue }
            let worst = segments.max { $0.added < $1.added }
            html += "<details><summary>\(HTML.escape(name))"
            if let worst, worst.added > 0 {
                html += " <span class=\"muted\">— worst: \(HTML.escape(worst.segment)), \(measure) "
                html += "\(HTML.number(worst.error)) on \(worst.count) rows</span>"
            }
            html += "</summary><table><thead><tr><th>segment</th><th class=\"num\">rows</th>"
            html += "<th class=\"num\">\(measure)</th><th class=\"num\">added error</th></tr></thead><tbody>"
            let shown = segments.count > 15 ? Array(segments.prefix(15)) : segments
            for s in shown {
                let cls = s.error > e.overall ? " class=\"drift\"" : ""
                html += "<tr><td>\(HTML.escape(s.segment))</td><td class=\"num\">\(s.count)</td>"
                html += "<td class=\"num\"><span\(cls)>\(HTML.number(s.error))</span></td>"
                html += "<td class=\"num\">\(HTML.number(s.added))</td></tr>"
            }
            if shown.count < segments.count {
                html += "<tr><td colspan=\"4\" class=\"muted\">\(segments.count - shown.count) more segments "
                html += "(fewer rows) in the JSON output</td></tr>"
            }
            html += "</tbody></table></details>"
        }
        return html
    }

    /// Labels drawn in a confusion matrix at most (the most frequent of both sides).
    static let confusionLabels = 12

    /// Before vs after: the MAE of both sides (regression), or both confusion matrices and their change.
    static func comparison(_ e: ErrorAnalysis) -> String {
        guard let latest = e.latest else { return "" }
        guard e.measure == .errorRate else {
            var html = "<h3>MAE before and after</h3><table><thead><tr><th>rows</th><th class=\"num\">labelled</th>"
            html += "<th class=\"num\">MAE</th></tr></thead><tbody>"
            for side in [e.baseline, latest].compactMap({ $0 }) {
                html += "<tr><td>\(HTML.escape(side.name))</td><td class=\"num\">\(side.labelled)</td>"
                html += "<td class=\"num\">\(HTML.number(side.error))</td></tr>"
            }
            return html + "</tbody></table>"
        }
        guard let after = latest.confusion else { return "" }
        var html = "<h3>Confusion matrix: how it changed</h3>"
        html += "<p class=\"muted\">Rows: true label; columns: predicted. Each cell: rows, and their share of "
        html += "the true label's rows.</p><div class=\"fx\">"
        let before = e.baseline?.confusion
        let (labels, all) = drawnLabels(before, after)
        if let baseline = e.baseline {
            html += confusionTable("\(baseline.name): \(baseline.labelled) rows", before, labels: labels)
        }
        html += confusionTable("\(latest.name): \(latest.labelled) rows", after, labels: labels)
        if let before { html += changeTable(before, after, labels: labels) }
        if labels.count < all.count {
            html += "<p class=\"muted\">\(all.count - labels.count) rarer labels not drawn (see the JSON output).</p>"
        }
        return html + "</div>"
    }

    /// The labels drawn (the most frequent on either side, in the matrices' order) and all labels.
    static func drawnLabels(
        _ before: ErrorAnalysis.Confusion?, _ after: ErrorAnalysis.Confusion
    ) -> (drawn: [String], all: [String]) {
        var frequency: [String: Int] = [:]
        for c in [before, after].compactMap({ $0 }) {
            for (i, l) in c.labels.enumerated() { frequency[l, default: 0] += c.counts[i].reduce(0, +) }
        }
        let all = ErrorAnalysisBuilder.ordered(Array(frequency.keys))
        let kept = Set(
            all.sorted { (frequency[$0] ?? 0) > (frequency[$1] ?? 0) }.prefix(confusionLabels))
        return (all.filter { kept.contains($0) }, all)
    }

    /// A cell of a confusion matrix: rows with truth `t` predicted `p`, and their share of truth `t`'s rows.
    static func cell(_ c: ErrorAnalysis.Confusion?, _ t: String, _ p: String) -> (Int, Double) {
        guard let c, let i = c.labels.firstIndex(of: t), let j = c.labels.firstIndex(of: p) else { return (0, 0) }
        let row = c.counts[i].reduce(0, +)
        return (c.counts[i][j], row > 0 ? Double(c.counts[i][j]) / Double(row) : 0)
    }

    /// A confusion matrix over `labels`: rows and row share per cell.
    static func confusionTable(_ title: String, _ c: ErrorAnalysis.Confusion?, labels: [String]) -> String {
        var t = "<div><h4>\(HTML.escape(title))</h4><table class=\"cm\"><thead><tr><th></th>"
        for l in labels { t += "<th class=\"num\">\(HTML.escape(l))</th>" }
        t += "</tr></thead><tbody>"
        for truth in labels {
            t += "<tr><th>\(HTML.escape(truth))</th>"
            for p in labels {
                let (n, share) = cell(c, truth, p)
                t += "<td>\(n) <span class=\"muted\">\(Int((share * 100).rounded()))%</span></td>"
            }
            t += "</tr>"
        }
        return t + "</tbody></table></div>"
    }

    /// The change of each cell's row share from `before` to `after`, in percentage points, marked bad (a wrong
    /// cell growing, a right one shrinking) or good.
    static func changeTable(
        _ before: ErrorAnalysis.Confusion, _ after: ErrorAnalysis.Confusion, labels: [String]
    ) -> String {
        var t = "<div><h4>Change (percentage points of the row)</h4><table class=\"cm\"><thead><tr><th></th>"
        for l in labels { t += "<th class=\"num\">\(HTML.escape(l))</th>" }
        t += "</tr></thead><tbody>"
        for truth in labels {
            t += "<tr><th>\(HTML.escape(truth))</th>"
            for p in labels {
                let delta = (cell(after, truth, p).1 - cell(before, truth, p).1) * 100
                let rounded = Int(delta.rounded())
                // A wrong cell growing (or a right one shrinking) is bad.
                let bad = (truth == p) ? rounded < 0 : rounded > 0
                let cls = rounded == 0 ? "" : bad ? " class=\"up\"" : " class=\"down\""
                t += "<td\(cls)>\(rounded > 0 ? "+" : "")\(rounded)</td>"
            }
            t += "</tr>"
        }
        return t + "</tbody></table></div>"
    }
}
