import DriftCore
import DriftReport

/// Formats a drift comparison as an aligned plain-text table for terminals.
package enum DriftTextFormatter {
    /// The error analysis in a few lines (empty without one): overall figures and the top segments.
    package static func format(_ e: ErrorAnalysis?) -> String {
        guard let e else { return "" }
        let measure = e.measure.title
        var out = "\nerror analysis: \(measure) \(number(e.overall)) on \(e.labelled) labelled rows of the current file"
        if let b = e.baseline, let error = b.error {
            out += " (\(b.name): \(number(error)) on \(b.labelled))"
        }
        out += "\n"
        for s in e.top(5) {
            out += "  \(s.feature) \(s.segment): \(measure) \(number(s.error)) on \(s.count) rows, "
            out += "added error \(number(s.added))\n"
        }
        return out
    }

    package static func format(_ c: DriftComparison) -> String {
        var out = "reference: \(c.reference.path) (\(c.reference.rows) rows)\n"
        out += "current:   \(c.current.path) (\(c.current.rows) rows)\n\n"
        var rows: [[String]] = [["column", "type", "method", "statistic", "p-value", "threshold", "drift"]]
        for column in c.columns {
            for (i, test) in column.tests.enumerated() {
                let p = test.adjustedPValue ?? test.pValue
                rows.append([
                    i == 0 ? column.name : "", i == 0 ? column.type.rawValue : "", test.method.rawValue,
                    number(test.statistic), p.map(number) ?? "-", test.threshold.map(number) ?? "-",
                    test.drift ? "DRIFT" : "no",
                ])
            }
            if column.tests.isEmpty { rows.append([column.name, column.type.rawValue, "-", "-", "-", "-", "no"]) }
        }
        let widths = (0..<rows[0].count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { col, cell in
                cell + String(repeating: " ", count: widths[col] - cell.count)
            }
            out += cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        let d = c.dataset
        out +=
            "\ndataset: \(d.drifted) of \(d.columns) columns drifted (share \(number(d.share)), threshold \(number(d.threshold))): "
        out += d.drift ? "DRIFT\n" : "no drift\n"
        return out
    }

    package static func number(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v != 0 && (abs(v) < 1e-4 || abs(v) >= 1e6) {
            return formatScientific(v)
        }
        var s = String(format4: v)
        while s.contains(".") && (s.hasSuffix("0")) { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    package static func formatScientific(_ v: Double) -> String {
        var exponent = 0
        var m = abs(v)
        while m >= 10 {
            m /= 10
            exponent += 1
        }
        while m < 1 {
            m *= 10
            exponent -= 1
        }
        let mantissa = (v < 0 ? -m : m)
        return "\(String(format4: mantissa).prefix(6))e\(exponent)"
    }
}

extension String {
    /// `v` with four digits after the point.
    package init(format4 v: Double) {
        let scaled = (v * 10_000).rounded()
        let negative = scaled < 0
        let magnitude = abs(scaled)
        let whole = (magnitude / 10_000).rounded(.down)
        let fraction = Int(magnitude - whole * 10_000)
        let digits = String(fraction)
        self =
            (negative ? "-" : "") + String(Int(whole)) + "." + String(repeating: "0", count: 4 - digits.count) + digits
    }

    package func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
