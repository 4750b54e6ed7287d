/// The plot area of a time chart (`SVGChart.lines`): the time and value ranges and the pixel box they map to.
struct LineChartFrame {
    /// The time axis, µs.
    let t0: Int64
    let t1: Int64
    /// The value axis, padded.
    let lo: Double
    let hi: Double
    let left = 48
    let top = 6
    let bottom = 18
    /// The plot area's width and height in pixels.
    let w: Int
    let h: Int
    /// Whether `hi - lo` is finite (else `y` works on halves).
    let spanIsFinite: Bool

    /// The frame of `series` (nil when no point is finite): the time axis `domain`, else the points' times;
    /// the value axis over the points and `threshold`, padded 5 % (see `paddedRange`).
    init?(
        series: [SVGChart.Series], threshold: Double?, domain: (Int64, Int64)?, width: Int, height: Int,
        percent: Bool
    ) {
        var lo = Double.infinity
        var hi = -Double.infinity
        var first = Int64.max
        var last = Int64.min
        for s in series {
            for (t, v) in s.points where v.isFinite {
                lo = min(lo, v)
                hi = max(hi, v)
                first = min(first, t)
                last = max(last, t)
            }
        }
        guard lo <= hi else { return nil }
        let times = domain ?? (first, last)
        t0 = times.0
        t1 = times.1
        let range = Self.paddedRange(lo: lo, hi: hi, threshold: threshold, percent: percent)
        self.lo = range.lo
        self.hi = range.hi
        w = width - left - 6
        h = height - top - bottom
        // hi - lo overflows only for figures near ±Double.greatestFiniteMagnitude: then halves.
        spanIsFinite = (self.hi - self.lo).isFinite
    }

    /// The value axis: the data's range with the threshold, padded 5 % (a flat line: ±5 % of its value, at
    /// least ±0.5; shares ±0.05), never below 0 for non-negative figures, never above 1 for shares, finite.
    static func paddedRange(lo: Double, hi: Double, threshold: Double?, percent: Bool) -> (lo: Double, hi: Double) {
        var lo = lo
        var hi = hi
        if let threshold, threshold.isFinite {
            lo = min(lo, threshold)
            hi = max(hi, threshold)
        }
        let nonNegative = lo >= 0
        if hi - lo < 1e-12 {
            let pad = percent ? 0.05 : max(abs(hi) * 0.05, 0.5)
            hi += pad
            lo -= pad
        } else {
            let pad = (hi - lo) * 0.05
            hi += pad
            lo -= pad
        }
        // Padding never takes a non-negative figure's axis below 0; shares stay in [0, 1] (the axis zooms on
        // the data, so a change of F1 from 0.91 to 0.88 shows).
        if nonNegative { lo = max(lo, 0) }
        if percent { hi = min(hi, 1) }
        // Figures near ±Double.greatestFiniteMagnitude: padding must not make the axis infinite.
        lo = max(lo, -.greatestFiniteMagnitude)
        hi = min(hi, .greatestFiniteMagnitude)
        return (lo, hi)
    }

    /// Time offsets in Double when the Int64 difference overflows (identical below 2⁵³ µs, ~285 years).
    static func offset(_ a: Int64, _ b: Int64) -> Double {
        let (d, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? Double(a) - Double(b) : Double(d)
    }

    /// The pixel column of time `t` (the middle when the time axis is one instant).
    func x(_ t: Int64) -> Int {
        t1 <= t0 ? left + w / 2 : left + SVGChart.pixel(Double(w) * Self.offset(t, t0) / Self.offset(t1, t0))
    }

    /// The pixel row of value `v`.
    func y(_ v: Double) -> Int {
        let f = spanIsFinite ? (v - lo) / (hi - lo) : (v / 2 - lo / 2) / (hi / 2 - lo / 2)
        return top + SVGChart.pixel(Double(h) * (1 - f))
    }
}
