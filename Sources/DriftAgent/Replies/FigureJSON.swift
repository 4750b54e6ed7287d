import DriftCore
import DriftTables

/// One window figure as the members of a JSON object (shared by the status and time-series routes).
enum FigureJSON {
    static func write(_ f: WindowFigure, to w: inout JSONWriter, window: (start: Int64, end: Int64)? = nil) {
        w.beginObject()
        if let window {
            w.string("window_start", RFC3339.text(microseconds: window.start))
            w.string("window_end", RFC3339.text(microseconds: window.end))
        } else {
            w.string("metric", f.metric.rawValue)
        }
        if !f.feature.isEmpty { w.string("feature", f.feature) }
        if !f.classLabel.isEmpty { w.string("class", f.classLabel) }
        if !f.method.isEmpty { w.string("method", f.method) }
        w.number("value", f.value)
        if let threshold = f.threshold { w.number("threshold", threshold) }
        if let drift = f.drift { w.bool("drift", drift) }
        if let coverage = f.labelCoverage { w.number("label_coverage", coverage) }
        w.endObject()
    }
}
