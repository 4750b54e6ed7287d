import DriftCore

/// What the offline report shows besides the comparison itself: per column its reference vs current
/// distribution on display bins, and the error analysis when both files have label and prediction columns.
package struct ComparisonReport: Sendable {
    package var comparison: DriftComparison
    /// By column name; a column without one is drawn on the bins its binned methods used.
    package var distributions: [String: Distribution]
    package var errorAnalysis: ErrorAnalysis?

    package init(
        comparison: DriftComparison, distributions: [String: Distribution] = [:], errorAnalysis: ErrorAnalysis? = nil
    ) {
        self.comparison = comparison
        self.distributions = distributions
        self.errorAnalysis = errorAnalysis
    }
}

/// Renders an offline comparison of two tables (`driftwatch drift --format html`) as one self-contained,
/// escaped, well-formed HTML page: the dataset verdict, the drifted columns ranked by how far past their
/// threshold, the error analysis (with `--label` and `--prediction`), and per column its tests and its
/// reference vs current distribution (numeric: overlaid histograms; categorical: side-by-side bars).
package enum ComparisonReportRenderer {
    package static func render(_ c: DriftComparison, title: String = "Drift report") -> String {
        render(ComparisonReport(comparison: c), title: title)
    }

    package static func render(_ report: ComparisonReport, title: String = "Drift report") -> String {
        let c = report.comparison
        var html = ReportSections.head(title)
        html += "<h1>\(HTML.escape(title))</h1>"
        html += "<p class=\"muted\">reference: \(HTML.escape(c.reference.path)) (\(c.reference.rows) rows) · "
        html += "current: \(HTML.escape(c.current.path)) (\(c.current.rows) rows)</p>"
        let d = c.dataset
        html += "<p class=\"\(d.drift ? "drift" : "ok")\">\(d.drift ? "Dataset drift" : "No dataset drift"): "
        html += "\(d.drifted) of \(d.columns) columns drifted (share \(HTML.number(d.share)), threshold "
        html += "\(HTML.number(d.threshold)))</p>"
        html += rankedColumns(c)
        if let e = report.errorAnalysis { html += ReportSections.errorAnalysis(e, featureLabel: "column") }
        html += "<h2>Columns</h2>"
        for column in c.columns { html += columnSection(column, distribution: report.distributions[column.name]) }
        html += methods(c, errorAnalysis: report.errorAnalysis != nil)
        html += "</body></html>\n"
        return html
    }

    /// How far past its threshold a test is: threshold / p-value, or statistic / threshold; 0 without one.
    static func severity(_ t: DriftTestResult) -> Double {
        guard let threshold = t.threshold, threshold > 0 else { return 0 }
        if let p = t.adjustedPValue ?? t.pValue { return threshold / max(p, 1e-300) }
        return t.statistic / threshold
    }

    /// The drifted columns, most severe first, with the methods that found the drift; empty when none drifted.
    static func rankedColumns(_ c: DriftComparison) -> String {
        let ranked = c.columns.filter(\.drift).sorted {
            ($0.tests.map(severity).max() ?? 0) > ($1.tests.map(severity).max() ?? 0)
        }
        guard !ranked.isEmpty else { return "" }
        var html = "<h2>Drifted columns, most severe first</h2><table><thead><tr><th>column</th><th>type</th>"
        html += "<th>drifted by</th></tr></thead><tbody>"
        for column in ranked {
            let methods = column.tests.filter(\.drift).map(\.method.rawValue).joined(separator: ", ")
            html +=
                "<tr><td>\(HTML.escape(column.name))</td><td>\(column.type.rawValue)</td><td>\(methods)</td></tr>"
        }
        html += "</tbody></table>"
        return html
    }

    /// One column: its counts, its distribution (`distribution`, else the bins its methods used) and its tests.
    static func columnSection(_ column: ColumnDrift, distribution: Distribution?) -> String {
        var html = "<h3 class=\"\(column.drift ? "drift" : "")\">\(HTML.escape(column.name)) "
        html += "<span class=\"muted\">(\(column.type.rawValue))</span>\(column.drift ? " — drifted" : "")</h3>"
        html += "<p class=\"muted\">values: \(column.referenceCount) reference, \(column.currentCount) current · "
        html += "missing: \(column.referenceMissing) reference, \(column.currentMissing) current</p>"
        html += "<div class=\"fx\">"
        if let d = distribution {
            html += ReportSections.distribution(d)
        } else if let b = column.binned {
            html +=
                "<div>"
                + SVGChart.bars(
                    labels: labels(b), reference: shares(b.referenceCounts), current: shares(b.currentCounts),
                    width: 460) + "</div>"
        }
        html += "<table><thead><tr><th>method</th><th class=\"num\">statistic</th><th class=\"num\">p-value</th>"
        html += "<th class=\"num\">threshold</th><th>verdict</th></tr></thead><tbody>"
        for t in column.tests {
            html += "<tr><td>\(t.method.rawValue)</td><td class=\"num\">\(HTML.number(t.statistic))</td>"
            html += "<td class=\"num\">\(HTML.number(t.adjustedPValue ?? t.pValue))</td>"
            html += "<td class=\"num\">\(HTML.number(t.threshold))</td>"
            html += "<td class=\"\(t.drift ? "drift" : "ok")\">\(t.drift ? "drift" : "no")</td></tr>"
        }
        html += "</tbody></table></div>"
        return html
    }

    /// The Methods section: how the tests, thresholds, distributions and (when shown) error analysis work.
    static func methods(_ c: DriftComparison, errorAnalysis: Bool) -> String {
        var html = "<h2>Methods</h2><ul>"
        html += "<li>KS as <code>scipy.stats.ks_2samp(method='auto')</code>; chi-square as "
        html += "<code>scipy.stats.chi2_contingency</code> (or Evidently's goodness of fit); PSI, Jensen–Shannon and "
        html += "Hellinger on the binning the tests name (quantile bins of the reference by default, empty bins "
        html += "clipped at ε = 1e-4 for PSI); Wasserstein as <code>scipy.stats.wasserstein_distance</code>.</li>"
        html +=
            "<li>Thresholds: p-value α for KS and chi-square, value ≥ threshold for the others; a column drifts when "
        html +=
            "any of its tests does\(c.correction == .none ? "" : "; p-values adjusted (\(c.correction.rawValue)) across columns").</li>"
        html += "<li>Distributions: numeric columns on 30 equal-width bins (one per integer for integer values) "
        html += "over the 0.5–99.5 % range of both files, the outer bins also holding the values beyond; categorical "
        html += "columns as the \(Distribution.topCategories - 1) categories with the largest share on either side, "
        html += "the rest as one bar.</li>"
        if errorAnalysis {
            html += "<li>Error analysis: a row's error is 1 when the prediction differs from the label, else 0 "
            html += "(classification: the figure is the error rate), or the absolute error (regression: MAE); "
            html += "segments are each categorical value, each decile of a numeric column cut on the reference, "
            html += "and missing values, computed on the current file; added error = rows × (segment − overall). "
            html += "Before/after: the reference file's labelled rows against the current file's.</li>"
        }
        return html + "</ul>"
    }

    static func shares(_ counts: [Int]) -> [Double] {
        let total = Double(counts.reduce(0, +))
        return counts.map { total > 0 ? Double($0) / total : 0 }
    }

    /// Bin labels: the categories, or `≤ edge` for right-closed numeric bins (the last `> edge`).
    static func labels(_ b: BinnedComparisonSummary) -> [String] {
        let n = b.referenceCounts.count
        if !b.keys.isEmpty {
            return Array(b.keys.prefix(n)) + Array(repeating: "other", count: max(0, n - b.keys.count))
        }
        if b.edges.count + 1 == n {
            return b.edges.map { "≤ \(HTML.number($0))" } + ["> \(HTML.number(b.edges.last ?? 0))"]
        }
        if b.edges.count == n + 1 {
            return (0..<n).map { "\(HTML.number(b.edges[$0]))–\(HTML.number(b.edges[$0 + 1]))" }
        }
        return (0..<n).map { "bin \($0 + 1)" }
    }
}
