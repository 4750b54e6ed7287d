extension DecimalParser {
    /// A non-negative double (finite or infinite) as its two fields, ready to be packed.
    struct BinaryValue: Equatable {
        /// The 52 explicit mantissa bits. Bit 52 may be set when rounding carried a subnormal
        /// into the smallest normal; packing ORs it into the exponent field, which is 1 then.
        var mantissa: UInt64
        /// The biased exponent field: 0 for zero and subnormals, 0x7FF for infinity.
        var biasedExponent: Int

        /// The IEEE 754 bit pattern of the value.
        var bitPattern: UInt64 { mantissa | UInt64(truncatingIfNeeded: biasedExponent) << 52 }

        static let zero = BinaryValue(mantissa: 0, biasedExponent: 0)
        static let infinity = BinaryValue(mantissa: 0, biasedExponent: 0x7FF)
    }
}

extension DecimalParser {
    /// The Eisel–Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per Second",
    /// Software: Practice and Experience 51(8), 2021): `w × 10^q` correctly rounded to a double,
    /// from a 64- or 128-bit product of the normalized `w` with a truncated 128-bit power of five.
    /// Nil when the truncated product leaves the rounding undecided.
    @inline(__always)
    static func eiselLemire(mantissa w: UInt64, exponent q: Int64) -> BinaryValue? {
        if w == 0 || q < Int64(smallestPowerOfFive) { return .zero }  // below 10^-343: rounds to 0
        if q > Int64(largestPowerOfFive) { return .infinity }  // 10^309 and above
        let power = Int(q)
        let leadingZeros = w.leadingZeroBitCount
        let normalized = w &<< UInt64(leadingZeros)
        let index = 2 * (power - smallestPowerOfFive)
        var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
        // 55 bits matter (52 explicit + implicit + rounding + a possible one-bit shift). If the
        // bits below them are all ones, the truncated low part of 5^q could carry into them.
        if high & 0x1FF == 0x1FF {
            let (secondHigh, _) = normalized.multipliedFullWidth(by: powersOfFive[index + 1])
            let (sum, carry) = low.addingReportingOverflow(secondHigh)
            low = sum
            if carry { high &+= 1 }
            // The product is now within two units of `low` of the exact one. Conservatively,
            // when `low` is all ones (a carry could still reach the kept bits), defer to the
            // slow path, except for q in -27...55 where the table makes the product exact.
            if low == .max && (power < -27 || power > 55) { return nil }
        }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit + 9)
        var mantissa = high &>> shift
        // floor(log2(10^q)) + 63 = ((217706 * q) >> 16) + 63, valid for |q| < 400; bias 1023.
        var biasedExponent = ((217_706 * power) >> 16) + 63 + upperBit - leadingZeros + 1023
        if biasedExponent <= 0 {
            return subnormal(mantissa, biasedExponent: biasedExponent)
        }
        // Only for q in -4...23 can w × 10^q (w < 2^64) be exactly halfway between two doubles;
        // if nothing but zeros was shifted out, it is, so round half to even instead of up.
        if low <= 1 && power >= -4 && power <= 23 && mantissa & 3 == 1
            && mantissa &<< shift == high
        {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {  // rounding carried into a new bit
            mantissa = 1 << 52
            biasedExponent += 1
        }
        mantissa &= ~(1 << 52)
        if biasedExponent >= 0x7FF { return .infinity }
        return BinaryValue(mantissa: mantissa, biasedExponent: biasedExponent)
    }

    /// Rounds the 54-bit `mantissa` for a value below the normal range (biased exponent <= 0).
    /// Ties cannot occur at these exponents, so the rounding bit alone decides (round up).
    @inline(__always)
    static func subnormal(_ mantissa: UInt64, biasedExponent: Int) -> BinaryValue {
        let shift = 1 - biasedExponent
        guard shift < 64 else { return .zero }
        var rounded = mantissa &>> UInt64(shift)
        rounded += rounded & 1
        rounded >>= 1
        // Rounding up may reach the smallest normal number (bit 52 set): exponent field 1.
        return BinaryValue(mantissa: rounded, biasedExponent: rounded < 1 << 52 ? 0 : 1)
    }
}
