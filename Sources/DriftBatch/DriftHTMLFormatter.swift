import DriftCore
import DriftReport
import DriftTables

/// The HTML output of `driftwatch drift` (and the demo's report.html): `ComparisonReportRenderer`'s
/// self-contained page.
package enum DriftHTMLFormatter {
    package static func format(_ c: DriftComparison) -> String { ComparisonReportRenderer.render(c) }
    package static func format(_ report: ComparisonReport) -> String { ComparisonReportRenderer.render(report) }
}

/// The JSON output of `driftwatch drift`: the comparison's documented document, plus an `error_analysis`
/// member (the figures the HTML report prints) when --label and --prediction are given.
package enum DriftJSONFormatter {
    package static func format(_ c: DriftComparison, errorAnalysis: ErrorAnalysis?) -> String {
        let document = c.json()
        guard let errorAnalysis else { return document }
        var w = JSONWriter()
        w.beginObject()
        errorAnalysis.writeJSON(into: &w, key: "error_analysis")
        w.endObject()
        // Both documents are objects at the same indentation: the member joins the comparison's object.
        let closing = "\n}\n"
        guard document.hasSuffix(closing), w.text.hasPrefix("{") else { return document }
        return String(document.dropLast(closing.count)) + "," + String(w.text.dropFirst()) + "\n"
    }
}
