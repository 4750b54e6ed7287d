/// An unevaluated sum `hi + lo` of two doubles (~106-bit significand): the double-double
/// arithmetic of the QD library as used by scipy's `xsf/cephes/dd_real.h`, ported operation by
/// operation so that `SmirnovDistribution` rounds exactly as `scipy.special.smirnov` does.
///
/// Only the operations that the Smirnov sum needs are provided. Every operation is O(1).
struct KSDoubleDouble: Sendable {
    var hi: Double
    var lo: Double

    @inline(__always) init(_ hi: Double, _ lo: Double) {
        self.hi = hi
        self.lo = lo
    }

    @inline(__always) init(_ value: Double) {
        self.hi = value
        self.lo = 0
    }

    /// `hi`, as `static_cast<double>(double_double)` in xsf.
    @inline(__always) var value: Double { hi }
    @inline(__always) var isFinite: Bool { hi.isFinite }
    @inline(__always) var isZero: Bool { hi == 0 && lo == 0 }

    // MARK: error-free transformations

    /// fl(a + b) and its error; assumes |a| >= |b|.
    @inline(__always) static func quickTwoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let c = s - a
        return (s, b - c)
    }

    /// fl(a + b) and its error.
    @inline(__always) static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let c = s - a
        let d = b - c
        let e = s - c
        return (s, (a - e) + d)
    }

    /// fl(a * b) and its error (via a fused multiply-add).
    @inline(__always) static func twoProd(_ a: Double, _ b: Double) -> (Double, Double) {
        let p = a * b
        return (p, (-p).addingProduct(a, b))
    }

    // MARK: arithmetic

    @inline(__always) static prefix func - (x: KSDoubleDouble) -> KSDoubleDouble { KSDoubleDouble(-x.hi, -x.lo) }

    /// Briggs–Kahan addition with an IEEE-style error bound.
    @inline(__always) static func + (lhs: KSDoubleDouble, rhs: KSDoubleDouble) -> KSDoubleDouble {
        var (s1, s2) = twoSum(lhs.hi, rhs.hi)
        let (t1, t2) = twoSum(lhs.lo, rhs.lo)
        s2 += t1
        (s1, s2) = quickTwoSum(s1, s2)
        s2 += t2
        (s1, s2) = quickTwoSum(s1, s2)
        return KSDoubleDouble(s1, s2)
    }

    @inline(__always) static func + (lhs: KSDoubleDouble, rhs: Double) -> KSDoubleDouble {
        var (s1, s2) = twoSum(lhs.hi, rhs)
        s2 += lhs.lo
        (s1, s2) = quickTwoSum(s1, s2)
        return KSDoubleDouble(s1, s2)
    }

    @inline(__always) static func - (lhs: KSDoubleDouble, rhs: KSDoubleDouble) -> KSDoubleDouble { lhs + (-rhs) }

    @inline(__always) static func - (lhs: KSDoubleDouble, rhs: Double) -> KSDoubleDouble {
        var (s1, s2) = twoSum(lhs.hi, -rhs)
        s2 += lhs.lo
        (s1, s2) = quickTwoSum(s1, s2)
        return KSDoubleDouble(s1, s2)
    }

    @inline(__always) static func * (lhs: KSDoubleDouble, rhs: KSDoubleDouble) -> KSDoubleDouble {
        var (p1, p2) = twoProd(lhs.hi, rhs.hi)
        p2 += (lhs.hi * rhs.lo + lhs.lo * rhs.hi)
        (p1, p2) = quickTwoSum(p1, p2)
        return KSDoubleDouble(p1, p2)
    }

    @inline(__always) static func * (lhs: KSDoubleDouble, rhs: Double) -> KSDoubleDouble {
        let (p1, e1) = twoProd(lhs.hi, rhs)
        let (p2, e2) = twoProd(lhs.lo, rhs)
        let (s, e) = quickTwoSum(p1, e2 + p2 + e1)
        return KSDoubleDouble(s, e)
    }

    @inline(__always) static func * (lhs: Double, rhs: KSDoubleDouble) -> KSDoubleDouble {
        let (p1, e1) = twoProd(lhs, rhs.hi)
        let (p2, e2) = twoProd(lhs, rhs.lo)
        let (s, e) = quickTwoSum(p1, e2 + p2 + e1)
        return KSDoubleDouble(s, e)
    }

    /// Long division with three partial quotients, as QD's `operator/`.
    @inline(__always) static func / (lhs: KSDoubleDouble, rhs: KSDoubleDouble) -> KSDoubleDouble {
        let q1 = lhs.hi / rhs.hi
        var r = lhs - rhs * q1
        let q2 = r.hi / rhs.hi
        r = r - rhs * q2
        let q3 = r.hi / rhs.hi
        let (s, e) = quickTwoSum(q1, q2)
        return KSDoubleDouble(s, e) + q3
    }

    @inline(__always) static func / (lhs: KSDoubleDouble, rhs: Double) -> KSDoubleDouble { lhs / KSDoubleDouble(rhs) }
    @inline(__always) static func / (lhs: Double, rhs: KSDoubleDouble) -> KSDoubleDouble { KSDoubleDouble(lhs) / rhs }

    // MARK: functions

    /// Largest double-double integer not above `self`.
    var floor: KSDoubleDouble {
        let h = hi.rounded(.down)
        guard h == hi else { return KSDoubleDouble(h, 0) }
        let (s, e) = KSDoubleDouble.quickTwoSum(h, lo.rounded(.down))
        return KSDoubleDouble(s, e)
    }

    /// `(m, e)` with `self == m · 2^e`, `0.5 <= |m.hi| < 1` (or `|m.hi| == 1/2` adjusted as QD does).
    var frexp: (mantissa: KSDoubleDouble, exponent: Int) {
        var (man, exponent) = KSDoubleDouble.frexp(hi)
        var b1 = KSDoubleDouble.ldexp(lo, -exponent)
        if abs(man) == 0.5 && man * b1 < 0 {
            man *= 2
            b1 *= 2
            exponent -= 1
        }
        return (KSDoubleDouble(man, b1), exponent)
    }

    /// `self · 2^e`.
    @inline(__always) func ldexp(_ e: Int) -> KSDoubleDouble {
        KSDoubleDouble(KSDoubleDouble.ldexp(hi, e), KSDoubleDouble.ldexp(lo, e))
    }

    /// C `frexp` for a double: mantissa in [0.5, 1) and exponent; zero and non-finite pass through.
    @inline(__always) static func frexp(_ x: Double) -> (Double, Int) {
        guard x != 0, x.isFinite else { return (x, 0) }
        if x.isNormal {
            // The binary exponent field moved to 2^-1 (bias 1022): exactly C's frexp, without the generic
            // `significand`/`exponent` accessors (this runs twice per term of the Smirnov sum).
            let bits = x.bitPattern
            let biased = Int((bits >> 52) & 0x7FF)
            return (Double(bitPattern: (bits & ~(0x7FF << 52)) | (1022 << 52)), biased - 1022)
        }
        return (Double(sign: x.sign, exponent: -1, significand: x.significand), Int(x.exponent) + 1)
    }

    /// C `ldexp` / `scalbn`: `x · 2^e`, correctly rounded on underflow.
    @inline(__always) static func ldexp(_ x: Double, _ e: Int) -> Double {
        // A normal result of a normal x only moves the exponent field; anything else (zero, subnormal,
        // overflow, rounding on underflow) takes the general, correctly rounded path.
        if x == 0 || !x.isFinite { return x }  // C: ±0, ±inf and NaN come back unchanged
        let bits = x.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        if biased > 0 {
            let moved = biased &+ e
            if moved > 0 && moved < 0x7FF {
                return Double(bitPattern: (bits & ~(0x7FF << 52)) | (UInt64(moved) << 52))
            }
        }
        return Double(sign: .plus, exponent: e, significand: x)
    }
}
