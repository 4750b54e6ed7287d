import Foundation

/// Equal-width histogram edges and counts with numpy's semantics.
public enum EqualWidthBinning {
    /// `numpy.linspace(lo, hi, k+1)`: `e_i = i·((hi-lo)/k) + lo` for i < k and `e_k = hi` exactly. O(k).
    /// One bin `[lo, hi]` when `hi - lo` is not finite (infinite ends, or a range past `Double.greatestFiniteMagnitude`).
    public static func edges(lo: Double, hi: Double, bins k: Int) -> [Double] {
        let k = max(k, 1)
        let step = (hi - lo) / Double(k)
        guard step.isFinite else { return [lo, hi] }
        var e = (0...k).map { Double($0) * step + lo }
        e[k] = hi
        return e
    }

    /// numpy's outer edges: `[min, max]`, widened to `[v-0.5, v+0.5]` when min == max.
    static func outerRange(min: Double, max: Double) -> (Double, Double) {
        min == max ? (min - 0.5, max + 0.5) : (min, max)
    }

    /// Most bins `binCount` gives; never reached by Sturges or Doane, whose quotient is about log2 n.
    static let maxBins = 1 << 16

    /// `k = ceil(range / width)`: 1 when `width` is not positive or the quotient is not finite (a range
    /// that overflows a Double, or infinite ends), at most `maxBins`.
    static func binCount(range: Double, width: Double) -> Int {
        guard width > 0 else { return 1 }
        let k = (range / width).rounded(.up)
        guard k.isFinite else { return 1 }
        return Swift.max(1, Swift.min(Int(clampingFinite: k), maxBins))
    }

    /// `np.histogram_bin_edges(x, bins='sturges')` for data with the given min, max and size:
    /// width `w = (max-min)/(log2 N + 1)`, `k = ceil((hi-lo)/w)` (1 when w = 0). O(k).
    public static func sturgesEdges(min: Double, max: Double, count n: Int) -> [Double] {
        let (lo, hi) = outerRange(min: min, max: max)
        let width = (max - min) / (log2(Double(n)) + 1)
        return edges(lo: lo, hi: hi, bins: binCount(range: hi - lo, width: width))
    }

    /// `np.histogram_bin_edges(x, bins='doane')`: `σ = std_ddof0`, `g1 = mean(((x-mean)/σ)³)`,
    /// `σ_g1 = sqrt(6(n-2)/((n+1)(n+3)))`, `w = (max-min)/(1 + log2 n + log2(1 + |g1|/σ_g1))`,
    /// `k = ceil((hi-lo)/w)`; k = 1 when n <= 2 or σ = 0. O(n).
    public static func doaneEdges(_ sample: SortedSample) -> [Double] {
        guard let minValue = sample.min, let maxValue = sample.max else { return [] }
        let (lo, hi) = outerRange(min: minValue, max: maxValue)
        let n = sample.count
        var width = 0.0
        if n > 2, let mean = sample.mean, let sigma = sample.populationStandardDeviation, sigma > 0 {
            let sg1 = (6.0 * Double(n - 2) / ((Double(n) + 1.0) * Double(n + 3))).squareRoot()
            var acc = CompensatedSum()
            for v in sample.values {
                let z = (v - mean) / sigma
                acc.add(z * z * z)
            }
            let g1 = acc.value / Double(n)
            width = (maxValue - minValue) / (1.0 + log2(Double(n)) + log2(1.0 + abs(g1) / sg1))
        }
        return edges(lo: lo, hi: hi, bins: binCount(range: hi - lo, width: width))
    }

    /// Counts per bin with `numpy.histogram` semantics: `[e_i, e_{i+1})`, the last bin closed,
    /// values outside `[e_0, e_k]` not counted. O(k log n) on a sorted sample.
    public static func counts(_ sample: SortedSample, edges: [Double]) -> [Int] {
        guard edges.count >= 2 else { return [] }
        var bounds = edges.dropLast().map { sample.countLessThan($0) }
        bounds.append(sample.countLessThanOrEqual(edges[edges.count - 1]))
        return zip(bounds, bounds.dropFirst()).map { $1 - $0 }
    }
}
