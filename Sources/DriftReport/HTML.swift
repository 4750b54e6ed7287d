/// HTML text helpers: every user-provided string goes through `escape` before it reaches the page.
public enum HTML {
    /// Escapes text for element content and (double- or single-quoted) attribute values.
    public static func escape(_ s: String) -> String {
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
    public static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            var text = String(format: "%.4g", v)
            if text.contains("e") { text = String(format: "%.3f", v) }
            return text
        }
        return String(format: "%.3e", v)
    }
}
