import DriftCore

/// Inline SVG line charts over time (no scripts, no external resources): one polyline per series, an
/// optional dashed threshold line, the y range and the first and last times as axis labels.
public enum SVGChart {
    public struct Series: Sendable {
        public let name: String
        /// (time µs, value), ascending by time.
        public let points: [(Int64, Double)]
        public init(name: String, points: [(Int64, Double)]) {
            self.name = name
            self.points = points
        }
    }

    static let palette = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7aa3", "#57606a"]

    public static func lines(
        _ series: [Series], threshold: Double? = nil, width: Int = 640, height: Int = 180, percent: Bool = false
    ) -> String {
        let all = series.flatMap(\.points).filter { $0.1.isFinite }
        guard let t0 = all.map(\.0).min(), let t1 = all.map(\.0).max() else {
            return "<p class=\"muted\">no data</p>"
        }
        var lo = all.map(\.1).min() ?? 0
        var hi = all.map(\.1).max() ?? 1
        if let threshold {
            lo = min(lo, threshold)
            hi = max(hi, threshold)
        }
        if percent { lo = min(lo, 0) }
        if hi - lo < 1e-12 {
            hi += 0.5
            lo -= 0.5
        }
        let left = 56.0
        let right = 8.0
        let top = 8.0
        let bottom = 22.0
        let w = Double(width) - left - right
        let h = Double(height) - top - bottom
        func x(_ t: Int64) -> Double { t1 == t0 ? left + w / 2 : left + w * Double(t - t0) / Double(t1 - t0) }
        func y(_ v: Double) -> Double { top + h * (1 - (v - lo) / (hi - lo)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\">"
        svg +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"#fafbfc\" stroke=\"#d0d7de\"/>"
        svg +=
            "<text x=\"\(f(left - 4))\" y=\"\(f(top + 10))\" text-anchor=\"end\" class=\"axis\">\(HTML.number(hi))</text>"
        svg +=
            "<text x=\"\(f(left - 4))\" y=\"\(f(top + h))\" text-anchor=\"end\" class=\"axis\">\(HTML.number(lo))</text>"
        svg += "<text x=\"\(f(left))\" y=\"\(height - 6)\" class=\"axis\">\(HTML.escape(day(t0)))</text>"
        svg +=
            "<text x=\"\(f(left + w))\" y=\"\(height - 6)\" text-anchor=\"end\" class=\"axis\">\(HTML.escape(day(t1)))</text>"
        if let threshold {
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y(threshold)))\" x2=\"\(f(left + w))\" y2=\"\(f(y(threshold)))\" "
                + "stroke=\"#d1242f\" stroke-dasharray=\"4 3\"><title>threshold \(HTML.number(threshold))</title></line>"
        }
        for (i, s) in series.enumerated() {
            let color = palette[i % palette.count]
            let points = s.points.filter { $0.1.isFinite }
            let path = points.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ")
            if points.count > 1 {
                svg +=
                    "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\" points=\"\(path)\"><title>\(HTML.escape(s.name))</title></polyline>"
            }
            for p in points where points.count <= 60 {
                svg +=
                    "<circle cx=\"\(f(x(p.0)))\" cy=\"\(f(y(p.1)))\" r=\"2.2\" fill=\"\(color)\">"
                    + "<title>\(HTML.escape(s.name)) \(HTML.escape(RFC3339.text(microseconds: p.0))): \(HTML.number(p.1))</title></circle>"
            }
        }
        svg += "</svg>"
        if series.count > 1 {
            svg += "<div class=\"legend\">"
            for (i, s) in series.enumerated() {
                svg += "<span><i style=\"background:\(palette[i % palette.count])\"></i>\(HTML.escape(s.name))</span>"
            }
            svg += "</div>"
        }
        return svg
    }

    static func day(_ t: Int64) -> String {
        String(RFC3339.text(microseconds: t).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// Side-by-side bars of two distributions over the same bins (reference and current shares).
    public static func bars(
        labels: [String], reference: [Double], current: [Double], width: Int = 640, height: Int = 170
    )
        -> String
    {
        let n = min(labels.count, reference.count, current.count)
        guard n > 0 else { return "<p class=\"muted\">no bins</p>" }
        let top = 8.0
        let bottom = 34.0
        let left = 40.0
        let h = Double(height) - top - bottom
        let w = Double(width) - left - 8
        let peak = max(reference.prefix(n).max() ?? 0, current.prefix(n).max() ?? 0, 1e-12)
        let slot = w / Double(n)
        let bar = max(slot * 0.38, 1)
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\">"
        svg +=
            "<text x=\"\(f(left - 4))\" y=\"\(f(top + 10))\" text-anchor=\"end\" class=\"axis\">\(HTML.number(peak))</text>"
        svg +=
            "<line x1=\"\(f(left))\" y1=\"\(f(top + h))\" x2=\"\(f(left + w))\" y2=\"\(f(top + h))\" stroke=\"#d0d7de\"/>"
        let labelEvery = max(1, n / 10)
        for i in 0..<n {
            let x0 = left + slot * Double(i) + slot * 0.1
            for (k, (values, color, name)) in [(reference, "#8c959f", "reference"), (current, "#1f6feb", "current")]
                .enumerated()
            {
                let bh = h * values[i] / peak
                svg +=
                    "<rect x=\"\(f(x0 + bar * Double(k)))\" y=\"\(f(top + h - bh))\" width=\"\(f(bar))\" height=\"\(f(bh))\" "
                    + "fill=\"\(color)\"><title>\(HTML.escape(labels[i])) \(name): \(HTML.number(values[i]))</title></rect>"
            }
            if i % labelEvery == 0 {
                let text = labels[i].count > 14 ? String(labels[i].prefix(13)) + "…" : labels[i]
                svg += "<text x=\"\(f(x0))\" y=\"\(f(top + h + 14))\" class=\"axis\">\(HTML.escape(text))</text>"
            }
        }
        svg += "</svg><div class=\"legend\"><span><i style=\"background:#8c959f\"></i>reference</span>"
        svg += "<span><i style=\"background:#1f6feb\"></i>current</span></div>"
        return svg
    }
}
