import DriftCore

/// A report's stored figures indexed once by series (metric, feature, method, class) and by window, so that
/// rendering 200 features × 1,000 windows looks each series up in O(1) instead of scanning every figure.
struct FigureIndex {
    struct Key: Hashable {
        let metric: WindowMetric
        let feature: String
        let method: String
        let classLabel: String
    }

    private var bySeries: [Key: [ModelReport.Point]] = [:]
    private var byWindow: [Int64: [ModelReport.Point]] = [:]
    /// Window starts, ascending.
    let windowStarts: [Int64]

    init(_ points: [ModelReport.Point]) {
        for p in points {
            let f = p.figure
            bySeries[Key(metric: f.metric, feature: f.feature, method: f.method, classLabel: f.classLabel), default: []]
                .append(p)
            byWindow[p.windowStart, default: []].append(p)
        }
        for (k, v) in bySeries where zip(v, v.dropFirst()).contains(where: { $0.windowStart > $1.windowStart }) {
            bySeries[k] = v.sorted { $0.windowStart < $1.windowStart }
        }
        windowStarts = byWindow.keys.sorted()
    }

    /// One series, ascending by window start.
    func series(
        _ metric: WindowMetric, feature: String = "", method: String = "", classLabel: String = ""
    )
        -> [ModelReport.Point]
    {
        bySeries[Key(metric: metric, feature: feature, method: method, classLabel: classLabel)] ?? []
    }

    /// Every figure of the window starting at `start`.
    func window(_ start: Int64) -> [ModelReport.Point] { byWindow[start] ?? [] }

    /// The start of the run of consecutive drifted windows that ends with the latest window of a test
    /// (nil when the latest is not drifted).
    func driftingSince(feature: String, method: String) -> Int64? {
        let s = series(.driftStatistic, feature: feature, method: method)
        var since: Int64?
        for p in s.reversed() {
            guard p.figure.drift == true else { break }
            since = p.windowStart
        }
        return since
    }
}
