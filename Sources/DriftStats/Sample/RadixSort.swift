/// LSD radix sort for `Double`: six passes of 11 bits (2,048 buckets, which stay in L1 cache) over an
/// order-preserving bit mapping; a pass whose digit is the same for every key is skipped.
///
/// Complexity O(n) time, O(n) extra memory. Order is IEEE 754 total order restricted to non-NaN
/// values (so `-0.0` precedes `+0.0`), which is a valid ascending order under `<=`.
/// Small arrays fall back to the standard library's comparison sort.
public enum RadixSort {
    /// Arrays at or below this size are sorted with `Array.sort()`.
    public static let comparisonSortCutoff = 2048
    static let digitBits: UInt64 = 11
    static let buckets = 1 << 11
    static let passes = 6

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
        var scratch = [UInt64](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        // One counting pass builds every digit's histogram.
        var counts = [Int](repeating: 0, count: passes * buckets)
        let mask = UInt64(buckets - 1)
        counts.withUnsafeMutableBufferPointer { c in
            keys.withUnsafeBufferPointer { k in
                for key in k {
                    c[Int(key & mask)] &+= 1
                    c[2048 &+ Int((key >> 11) & mask)] &+= 1
                    c[4096 &+ Int((key >> 22) & mask)] &+= 1
                    c[6144 &+ Int((key >> 33) & mask)] &+= 1
                    c[8192 &+ Int((key >> 44) & mask)] &+= 1
                    c[10240 &+ Int(key >> 55)] &+= 1
                }
            }
        }
        var sourceIsKeys = true
        for pass in 0..<passes {
            let base = pass * buckets
            let shift = UInt64(pass) * digitBits
            let first = sourceIsKeys ? keys[0] : scratch[0]
            if counts[base + Int((first >> shift) & mask)] == n { continue }
            counts.withUnsafeMutableBufferPointer { c in
                var running = 0
                for d in 0..<buckets {
                    let v = c[base + d]
                    c[base + d] = running
                    running &+= v
                }
                keys.withUnsafeMutableBufferPointer { k in
                    scratch.withUnsafeMutableBufferPointer { s in
                        let (src, dst) = sourceIsKeys ? (k, s) : (s, k)
                        for key in src {
                            let d = base &+ Int((key >> shift) & mask)
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
