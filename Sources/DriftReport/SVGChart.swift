import DriftCore
import DriftStats
import DriftTables

/// Inline SVG charts (no scripts, no external resources), kept compact so that a report of hundreds of
/// features and a thousand windows stays small: integer pixel coordinates, one relative `path` per series,
/// at most one or two points per pixel column, and every colour and stroke in the shared `style` sheet.
package enum SVGChart {
    /// One line of a time chart.
    package struct Series: Sendable {
        package let name: String
        /// (time µs, value), ascending by time.
        package let points: [(Int64, Double)]
        package init(name: String, points: [(Int64, Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// Something that happened on the time axis: an alert (a band from its start to its end, or to the chart's
    /// end while open) or a finished retraining (a vertical line).
    package struct Event: Sendable, Equatable {
        /// What happened: an alert, or a retraining whose challenger was promoted, kept out, or that failed.
        package enum Kind: String, Sendable, Equatable {
            case alert
            case retrainPromoted
            case retrainKept
            case retrainFailed
        }
        package let time: Int64
        package let end: Int64?
        package let kind: Kind
        /// Tooltip text.
        package let title: String
        package init(time: Int64, end: Int64? = nil, kind: Kind, title: String) {
            self.time = time
            self.end = end
            self.kind = kind
            self.title = title
        }
    }

    /// Which points of a pixel column a line keeps when there are more points than pixels.
    package enum Reduction: Sendable {
        /// The lowest and the highest (the line's envelope).
        case extremes
        /// The highest only (a statistic whose drift is high).
        case maximum
        /// The lowest only (a p-value, whose drift is low).
        case minimum
    }

    static let palette = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7aa3", "#57606a"]

    /// The style sheet every chart's classes refer to (included once in the page's head).
    package static let style: String = {
        var css = ".ax{font-size:10px;fill:#656d76}.fr{fill:#fafbfc;stroke:#d0d7de}"
        css += ".th{stroke:#d1242f;stroke-dasharray:4 3}"
        for (i, c) in palette.enumerated() { css += ".k\(i){stroke:\(c);fill:\(c);background:\(c)}" }
        css += ".ln{fill:none;stroke-width:1.6}"
        css += ".hr{fill:#8c959f;fill-opacity:.5}.hc{fill:#1f6feb;fill-opacity:.25;stroke:#1f6feb;stroke-width:1.2}"
        css += ".br{fill:#8c959f;background:#8c959f}.bc{fill:#1f6feb;background:#1f6feb}"
        css += ".ab{fill:#d1242f;fill-opacity:.09}.ev{stroke-width:1.5}.rp{stroke:#1a7f37;fill:#1a7f37}"
        css += ".rk{stroke:#8c959f;fill:#8c959f}.rf{stroke:#d1242f;fill:#d1242f}"
        css += ".legend span{margin-right:1rem;font-size:.85rem}"
        css += ".legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}"
        css += "i.ab{background:#d1242f;opacity:.25}i.rp{background:#1a7f37}i.rk{background:#8c959f}"
        return css
    }()

    /// Pixels a coordinate is clamped to either side of the chart, so that offsets between points never overflow.
    static let pixelLimit = 1 << 20

    /// A coordinate in pixels: `v` rounded, clamped to ±`pixelLimit`, 0 for NaN (a NaN or infinite figure never
    /// reaches an integer conversion unchecked).
    static func pixel(_ v: Double) -> Int {
        Swift.min(Swift.max(Int(clampingFinite: v.rounded()), -pixelLimit), pixelLimit)
    }

    static func open(_ width: Int, _ height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\">"
    }

    /// A time chart: one line per series (at most one or two points per pixel column, see `Reduction`), an
    /// optional dashed threshold, alerts and retraining events, the y range and the first and last times as
    /// axis labels. `domain` fixes the time axis (so charts of one report line up); points are circled with a
    /// tooltip when there are at most 60 per series.
    package static func lines(
        _ series: [Series], threshold: Double? = nil, domain: (Int64, Int64)? = nil, events: [Event] = [],
        width: Int = 640, height: Int = 180, percent: Bool = false, reduction: Reduction = .extremes,
        legend: Bool = true
    ) -> String {
        guard
            let frame = LineChartFrame(
                series: series, threshold: threshold, domain: domain, width: width, height: height, percent: percent)
        else { return "<p class=\"muted\">no data</p>" }
        var svg = open(width, height)
        svg += axes(frame, events: events, threshold: threshold, height: height)
        for (i, s) in series.enumerated() {
            svg += line(s, index: i, frame: frame, reduction: reduction)
        }
        svg += "</svg>"
        if legend { svg += lineLegend(series, events: events, t0: frame.t0, t1: frame.t1) }
        return svg
    }

    /// A time chart's frame, event marks, axis labels and dashed threshold.
    static func axes(_ frame: LineChartFrame, events: [Event], threshold: Double?, height: Int) -> String {
        let (left, top, w, h, t0, t1) = (frame.left, frame.top, frame.w, frame.h, frame.t0, frame.t1)
        var svg = "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(w)\" height=\"\(h)\" class=\"fr\"/>"
        svg += eventMarks(events, t0: t0, t1: t1, x: frame.x, top: top, h: h)
        svg += "<text x=\"\(left - 3)\" y=\"\(top + 9)\" text-anchor=\"end\" class=\"ax\">\(axis(frame.hi))</text>"
        svg += "<text x=\"\(left - 3)\" y=\"\(top + h)\" text-anchor=\"end\" class=\"ax\">\(axis(frame.lo))</text>"
        svg += "<text x=\"\(left)\" y=\"\(height - 5)\" class=\"ax\">\(HTML.escape(day(t0)))</text>"
        if t1 > t0 {
            svg += "<text x=\"\(left + w)\" y=\"\(height - 5)\" text-anchor=\"end\" class=\"ax\">"
            svg += "\(HTML.escape(day(t1)))</text>"
        }
        if let threshold, threshold.isFinite {
            svg += "<path d=\"M\(left) \(frame.y(threshold))h\(w)\" class=\"th\"><title>threshold "
            svg += "\(HTML.number(threshold))</title></path>"
        }
        return svg
    }

    /// One series' line (its points inside the time axis, reduced per pixel column), circled with tooltips
    /// when it has at most 60 points.
    static func line(_ s: Series, index i: Int, frame: LineChartFrame, reduction: Reduction) -> String {
        let (t0, t1) = (frame.t0, frame.t1)
        var svg = ""
        let points = s.points.filter { $0.1.isFinite && $0.0 >= min(t0, t1) && $0.0 <= max(t0, t1) }
        let kept = reduce(points.map { (frame.x($0.0), frame.y($0.1)) }, reduction)
        if kept.count > 1 {
            svg += "<path d=\"\(path(kept))\" class=\"ln k\(i % palette.count)\">"
            svg += "<title>\(HTML.escape(s.name))</title></path>"
        }
        if points.count <= 60 {
            for p in points {
                svg +=
                    "<circle cx=\"\(frame.x(p.0))\" cy=\"\(frame.y(p.1))\" r=\"2.2\" class=\"k\(i % palette.count)\"><title>"
                svg += "\(HTML.escape(s.name)) \(HTML.escape(RFC3339.text(microseconds: p.0))): "
                svg += "\(HTML.number(p.1))</title></circle>"
            }
        }
        return svg
    }

    /// A time chart's legend: the series when there are several, and the kinds of events drawn inside the
    /// time axis; empty when there is neither.
    static func lineLegend(_ series: [Series], events: [Event], t0: Int64, t1: Int64) -> String {
        let drawnEvents = events.contains { e in
            e.time <= t1 && (e.kind == .alert ? (e.end ?? t1) >= t0 : e.time >= t0)
        }
        guard series.count > 1 || drawnEvents else { return "" }
        var svg = "<div class=\"legend\">"
        if series.count > 1 {
            for (i, s) in series.enumerated() {
                svg += "<span><i class=\"k\(i % palette.count)\"></i>\(HTML.escape(s.name))</span>"
            }
        }
        // Only what is drawn: events inside the time axis.
        let kinds = Set(
            events.filter { e in e.time <= t1 && (e.kind == .alert ? (e.end ?? t1) >= t0 : e.time >= t0) }.map(
                \.kind))
        if kinds.contains(.alert) { svg += "<span><i class=\"ab\"></i>alert</span>" }
        if kinds.contains(.retrainPromoted) { svg += "<span><i class=\"rp\"></i>retrained, promoted</span>" }
        if kinds.contains(.retrainKept) { svg += "<span><i class=\"rk\"></i>retrained, kept</span>" }
        if kinds.contains(.retrainFailed) { svg += "<span><i class=\"k1\"></i>retraining failed</span>" }
        svg += "</div>"
        return svg
    }

    static func eventMarks(
        _ events: [Event], t0: Int64, t1: Int64, x: (Int64) -> Int, top: Int, h: Int
    ) -> String {
        var svg = ""
        for e in events where e.kind == .alert {
            let end = e.end ?? t1
            guard end >= t0, e.time <= t1 else { continue }
            let a = x(max(e.time, t0))
            let b = x(min(end, t1))
            svg += "<rect x=\"\(a)\" y=\"\(top)\" width=\"\(max(b - a, 2))\" height=\"\(h)\" class=\"ab\">"
            svg += "<title>\(HTML.escape(e.title))</title></rect>"
        }
        for e in events where e.kind != .alert && e.time >= t0 && e.time <= t1 {
            let cls = e.kind == .retrainPromoted ? "rp" : e.kind == .retrainKept ? "rk" : "rf"
            let px = x(e.time)
            svg += "<g class=\"\(cls)\"><title>\(HTML.escape(e.title))</title>"
            svg += "<path d=\"M\(px) \(top)v\(h)\" class=\"ev\"/><circle cx=\"\(px)\" cy=\"\(top + 4)\" r=\"3.5\"/></g>"
        }
        return svg
    }

    /// Points grouped by pixel column, keeping per column what `reduction` says (in time order).
    static func reduce(_ points: [(Int, Int)], _ reduction: Reduction) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        out.reserveCapacity(points.count)
        var i = 0
        while i < points.count {
            var j = i
            var top = i
            var bottom = i
            while j < points.count && points[j].0 == points[i].0 {
                if points[j].1 < points[top].1 { top = j }
                if points[j].1 > points[bottom].1 { bottom = j }
                j += 1
            }
            switch reduction {
            case .maximum: out.append(points[top])
            case .minimum: out.append(points[bottom])
            case .extremes:
                if top == bottom {
                    out.append(points[top])
                } else {
                    out.append(points[min(top, bottom)])
                    out.append(points[max(top, bottom)])
                }
            }
            i = j
        }
        return out
    }

    /// `M x y` then relative line-tos, integers only (`M48 120l1-3 1 2`).
    static func path(_ points: [(Int, Int)]) -> String {
        guard let first = points.first else { return "" }
        var d = "M\(first.0) \(first.1)"
        var previous = first
        var started = false
        for p in points.dropFirst() {
            let dx = p.0 - previous.0
            let dy = p.1 - previous.1
            if dx == 0 && dy == 0 { continue }
            if !started {
                d += "l"
                started = true
                d += "\(dx)"
            } else {
                d += dx < 0 ? "\(dx)" : " \(dx)"
            }
            d += dy < 0 ? "\(dy)" : " \(dy)"
            previous = p
        }
        return d
    }

    /// An axis label: 3 significant digits, at most 7 characters (`1.2e-04`, `0.00423`, `0.856`, `4955`).
    static func axis(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        if v != 0, abs(v) < 1e-3 || abs(v) >= 1e7 { return String(format: "%.1e", v) }
        if abs(v) >= 1000 { return String(Int(v.rounded())) }
        return String(format: "%.3g", v)
    }

    static func day(_ t: Int64) -> String {
        String(RFC3339.text(microseconds: t).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// Overlaid histograms of two distributions (shares) on the same numeric `edges`: the reference filled in
    /// grey, the current in translucent blue with its outline.
    package static func histogram(
        edges: [Double], reference: [Double], current: [Double], width: Int = 640, height: Int = 150
    ) -> String {
        let n = min(edges.count - 1, reference.count, current.count)
        guard n > 0 else { return "<p class=\"muted\">no values</p>" }
        let left = 48
        let top = 6
        let bottom = 18
        let w = width - left - 6
        let h = height - top - bottom
        let peak = max(reference.prefix(n).max() ?? 0, current.prefix(n).max() ?? 0, 1e-12)
        func x(_ i: Int) -> Int { left + pixel(Double(w) * Double(i) / Double(n)) }
        func y(_ v: Double) -> Int { top + h - pixel(Double(h) * v / peak) }
        func outline(_ values: [Double]) -> String {
            var d = "M\(left) \(top + h)"
            for i in 0..<n { d += "V\(y(values[i]))H\(x(i + 1))" }
            return d + "V\(top + h)Z"
        }
        var svg = open(width, height)
        svg += "<path d=\"\(outline(reference))\" class=\"hr\"><title>reference</title></path>"
        svg += "<path d=\"\(outline(current))\" class=\"hc\"><title>current</title></path>"
        svg += "<path d=\"M\(left) \(top + h)h\(w)\" class=\"fr\"/>"
        svg += "<text x=\"\(left - 3)\" y=\"\(top + 9)\" text-anchor=\"end\" class=\"ax\">\(HTML.number(peak))</text>"
        svg += "<text x=\"\(left - 3)\" y=\"\(top + h)\" text-anchor=\"end\" class=\"ax\">0</text>"
        let ticks = [0, n / 2, n]
        for (k, i) in ticks.enumerated() {
            let anchor = k == 0 ? "start" : k == 1 ? "middle" : "end"
            svg += "<text x=\"\(x(i))\" y=\"\(height - 5)\" text-anchor=\"\(anchor)\" class=\"ax\">"
            svg += "\(HTML.number(edges[i]))</text>"
        }
        svg += "</svg>"
        return svg + legend(reference: "reference", current: "current")
    }

    static func legend(reference: String, current: String) -> String {
        "<div class=\"legend\"><span><i class=\"br\"></i>\(reference)</span><span><i class=\"bc\"></i>\(current)</span></div>"
    }

    /// Side-by-side bars of two distributions (shares) over the same bins.
    package static func bars(
        labels: [String], reference: [Double], current: [Double], width: Int = 640, height: Int = 160
    ) -> String {
        let n = min(labels.count, reference.count, current.count)
        guard n > 0 else { return "<p class=\"muted\">no bins</p>" }
        let top = 6
        let bottom = 30
        let left = 40
        let h = height - top - bottom
        let w = width - left - 6
        let peak = max(reference.prefix(n).max() ?? 0, current.prefix(n).max() ?? 0, 1e-12)
        let slot = Double(w) / Double(n)
        let bar = max(pixel((slot * 0.38).rounded(.down)), 1)
        var svg = open(width, height)
        svg += "<text x=\"\(left - 3)\" y=\"\(top + 9)\" text-anchor=\"end\" class=\"ax\">\(HTML.number(peak))</text>"
        svg += "<path d=\"M\(left) \(top + h)h\(w)\" class=\"fr\"/>"
        let labelEvery = max(1, n / 12)
        let maxChars = max(4, pixel((slot * Double(labelEvery) / 6).rounded(.towardZero)))
        for i in 0..<n {
            let x0 = left + pixel(slot * Double(i) + slot * 0.1)
            for (k, (values, cls, name)) in [(reference, "br", "reference"), (current, "bc", "current")].enumerated() {
                let bh = pixel(Double(h) * values[i] / peak)
                svg +=
                    "<rect x=\"\(x0 + bar * k)\" y=\"\(top + h - bh)\" width=\"\(bar)\" height=\"\(bh)\" class=\"\(cls)\">"
                svg += "<title>\(HTML.escape(labels[i])) \(name): \(HTML.number(values[i]))</title></rect>"
            }
            if i % labelEvery == 0 {
                let text = labels[i].count > maxChars ? String(labels[i].prefix(maxChars - 1)) + "…" : labels[i]
                svg += "<text x=\"\(x0)\" y=\"\(top + h + 13)\" class=\"ax\">\(HTML.escape(text))</text>"
            }
        }
        svg += "</svg>"
        return svg + legend(reference: "reference", current: "current")
    }
}
