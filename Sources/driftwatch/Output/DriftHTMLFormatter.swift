import DriftCore

/// A minimal self-contained HTML page of a drift comparison (the full report comes with DriftReport).
/// Every user-provided string is escaped.
enum DriftHTMLFormatter {
    static func format(_ c: DriftComparison) -> String {
        var rows = ""
        for column in c.columns {
            for (i, test) in column.tests.enumerated() {
                let p = test.adjustedPValue ?? test.pValue
                rows += "<tr class=\"\(test.drift ? "drift" : "ok")\">"
                rows += "<td>\(i == 0 ? escape(column.name) : "")</td><td>\(i == 0 ? column.type.rawValue : "")</td>"
                rows += "<td>\(test.method.rawValue)</td><td>\(DriftTextFormatter.number(test.statistic))</td>"
                rows += "<td>\(p.map(DriftTextFormatter.number) ?? "–")</td>"
                rows += "<td>\(test.threshold.map(DriftTextFormatter.number) ?? "–")</td>"
                rows += "<td>\(test.drift ? "drift" : "no")</td></tr>\n"
            }
        }
        let d = c.dataset
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Driftwatch drift report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
            table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
            tr.drift td{background:#fde8e8}.verdict{font-size:1.2rem;font-weight:600}
            </style></head><body>
            <h1>Drift report</h1>
            <p>Reference: \(escape(c.reference.path)) (\(c.reference.rows) rows)<br>
            Current: \(escape(c.current.path)) (\(c.current.rows) rows)</p>
            <p class="verdict">\(d.drifted) of \(d.columns) columns drifted (share \(DriftTextFormatter.number(d.share)), \
            threshold \(DriftTextFormatter.number(d.threshold))): \(d.drift ? "dataset drift" : "no dataset drift")</p>
            <table><thead><tr><th>column</th><th>type</th><th>method</th><th>statistic</th><th>p-value</th>\
            <th>threshold</th><th>verdict</th></tr></thead><tbody>
            \(rows)</tbody></table>
            </body></html>

            """
    }

    /// Escapes text for HTML element content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
