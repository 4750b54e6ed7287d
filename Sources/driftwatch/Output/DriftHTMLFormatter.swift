import DriftCore
import DriftReport

/// The HTML output of `driftwatch drift` (and the demo's report.html): `ComparisonReportRenderer`'s
/// self-contained page.
enum DriftHTMLFormatter {
    static func format(_ c: DriftComparison) -> String { ComparisonReportRenderer.render(c) }
}
