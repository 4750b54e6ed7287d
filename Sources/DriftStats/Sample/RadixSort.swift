/// LSD radix sort for `Double`, four passes of 16 bits over an order-preserving bit mapping.
///
/// Complexity O(n) time, O(n) extra memory. Order is IEEE 754 total order restricted to non-NaN
/// values (so `-0.0` precedes `+0.0`), which is a valid ascending order under `<=`.
/// Small arrays fall back to the standard library's comparison sort.
public enum RadixSort {
    /// Arrays at or below this size are sorted with `Array.sort()`.
    public static let comparisonSortCutoff = 2048

    /// Sorts `values` ascending in place. NaN must not be present.
    public static func sortAscending(_ values: inout [Double]) {
        let n = values.count
        if n <= comparisonSortCutoff {
            values.sort()
            return
        }
        var keys = [UInt64](unsafeUninitializedCapacity: n) { buffer, initialized in
            values.withUnsafeBufferPointer { source in
                for i in 0..<n { buffer[i] = sortableKey(source[i]) }
            }
            initialized = n
        }
        var scratch = [UInt64](repeating: 0, count: n)
        // One counting pass builds all four digit histograms.
        var counts = [Int](repeating: 0, count: 4 * 65536)
        counts.withUnsafeMutableBufferPointer { c in
            keys.withUnsafeBufferPointer { k in
                for key in k {
                    c[Int(key & 0xFFFF)] &+= 1
                    c[65536 &+ Int((key >> 16) & 0xFFFF)] &+= 1
                    c[131072 &+ Int((key >> 32) & 0xFFFF)] &+= 1
                    c[196608 &+ Int(key >> 48)] &+= 1
                }
            }
        }
        var sourceIsKeys = true
        for pass in 0..<4 {
            let base = pass * 65536
            let shift = UInt64(pass * 16)
            // A pass whose digit is the same for every key changes nothing: skip it.
            let first = sourceIsKeys ? keys[0] : scratch[0]
            if counts[base + Int((first >> shift) & 0xFFFF)] == n { continue }
            counts.withUnsafeMutableBufferPointer { c in
                var running = 0
                for d in 0..<65536 {
                    let v = c[base + d]
                    c[base + d] = running
                    running &+= v
                }
                keys.withUnsafeMutableBufferPointer { k in
                    scratch.withUnsafeMutableBufferPointer { s in
                        let (src, dst) = sourceIsKeys ? (k, s) : (s, k)
                        for key in src {
                            let d = base &+ Int((key >> shift) & 0xFFFF)
                            dst[c[d]] = key
                            c[d] &+= 1
                        }
                    }
                }
            }
            sourceIsKeys.toggle()
        }
        let sorted = sourceIsKeys ? keys : scratch
        values.withUnsafeMutableBufferPointer { out in
            sorted.withUnsafeBufferPointer { k in
                for i in 0..<n { out[i] = valueFromKey(k[i]) }
            }
        }
    }

    @inline(__always)
    static func sortableKey(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return (bits & (1 << 63)) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    static func valueFromKey(_ key: UInt64) -> Double {
        let bits = (key & (1 << 63)) != 0 ? key & ~(1 << 63) : ~key
        return Double(bitPattern: bits)
    }
}
