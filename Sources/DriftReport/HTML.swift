/// HTML text helpers: every user-provided string goes through `escape` before it reaches the page.
package enum HTML {
    /// Escapes text for element content and (double- or single-quoted) attribute values.
    package static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A number for display: up to 4 significant digits, `–` for nil or non-finite.
    package static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if magnitude >= 1000 && magnitude < 1e12 {
            let text = String(format: "%.1f", v)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        if magnitude >= 1e-3 { return String(format: "%.4g", v) }
        return String(format: "%.3e", v)
    }
}
