/// Parses one whole field of ASCII bytes as a `Double`, correctly rounded (round-half-even),
/// as `Double(String)` / `strtod` would.
///
/// Accepted syntax: an optional `+`/`-`, digits with an optional `.` and fraction (`.5`, `5.` and
/// `5` are valid, `.` alone is not), an optional exponent `e`/`E` with optional sign and digits;
/// or `inf`, `infinity`, `nan` in any case, with an optional sign. Nothing else, not even spaces.
///
/// Algorithm: the Clinger fast path (mantissa at most 2^53 and |exponent| at most 22, exact in
/// double arithmetic), then Eisel–Lemire (D. Lemire, "Number Parsing at a Gigabyte per Second",
/// 2021) with a 128-bit table of powers of five, and, when that cannot decide (or digits beyond
/// the 19th could change the result), a correctly rounded slow path.
package enum DecimalParser {
    /// Parses `bytes` as exactly one number; nil when the bytes are anything else (including
    /// leading or trailing spaces: the caller trims). Overflow gives ±infinity, underflow ±0 or
    /// a subnormal, exactly as `strtod`.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        // Branch-free sign handling: signs are unpredictable in real data.
        let first = bytes[0]
        let negative = first == asciiMinus
        let start = Int(
            truncatingIfNeeded: UInt8(negative ? 1 : 0) | UInt8(first == asciiPlus ? 1 : 0))
        guard start < bytes.count else { return nil }
        guard let literal = scanDecimal(bytes, from: start) else {
            return parseSpecial(bytes, from: start, negative: negative)  // or nil
        }
        let magnitude: Double
        if let exact = clingerFastPath(literal) {
            magnitude = exact
        } else if let bits = eiselLemireBits(literal) {
            magnitude = Double(bitPattern: bits)
        } else {
            return slowPath(bytes)
        }
        let signBit: UInt64 = negative ? 1 << 63 : 0
        return Double(bitPattern: magnitude.bitPattern | signBit)
    }

    /// Convenience for `parse(_:)` on the UTF-8 bytes of `string`.
    package static func parse(_ string: String) -> Double? {
        var copy = string
        return copy.withUTF8 { parse($0) }
    }

    /// Exact powers of ten representable as doubles: 10^0 ... 10^22.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Clinger's fast path: when the mantissa and 10^|exponent| are both exact doubles, one IEEE
    /// multiplication or division is correctly rounded. Nil when it does not apply.
    @inline(__always)
    static func clingerFastPath(_ literal: Literal) -> Double? {
        guard !literal.truncated, literal.mantissa <= 1 << 53,
            literal.exponent >= -22, literal.exponent <= 22
        else { return nil }
        let value = Double(literal.mantissa)
        let exponent = Int(literal.exponent)
        if exponent < 0 {
            return value / exactPowersOfTen[-exponent]
        }
        return value * exactPowersOfTen[exponent]
    }

    /// Eisel–Lemire on the literal, as the bit pattern of its magnitude; nil when undecided.
    @inline(__always)
    static func eiselLemireBits(_ literal: Literal) -> UInt64? {
        if literal.truncated { return truncatedEiselLemireBits(literal) }
        return eiselLemire(mantissa: literal.mantissa, exponent: literal.exponent)?.bitPattern
    }

    /// Eisel–Lemire for more than 19 significant digits: the value lies in [w, w + 1) × 10^q,
    /// so both ends must round alike.
    @inline(never)
    static func truncatedEiselLemireBits(_ literal: Literal) -> UInt64? {
        guard let lower = eiselLemire(mantissa: literal.mantissa, exponent: literal.exponent),
            let upper = eiselLemire(mantissa: literal.mantissa + 1, exponent: literal.exponent),
            upper == lower
        else { return nil }
        return lower.bitPattern
    }

    /// The slow path for syntactically valid input the fast paths cannot decide: the standard
    /// library's correctly rounded, locale-independent `Double(String)` (strtod semantics).
    /// Rare: only for more than 19 significant digits close to a rounding boundary.
    static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    /// `inf`, `infinity` or `nan` (any case) starting at `start`, filling the rest of `bytes`.
    static func parseSpecial(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool
    ) -> Double? {
        if matchesLowercase(bytes, from: start, "nan") {
            return negative ? -Double.nan : Double.nan
        }
        if matchesLowercase(bytes, from: start, "inf")
            || matchesLowercase(bytes, from: start, "infinity")
        {
            return negative ? -Double.infinity : Double.infinity
        }
        return nil
    }

    /// Whether `bytes[start...]` is exactly `word` (lowercase ASCII letters), ignoring case.
    private static func matchesLowercase(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ word: StaticString
    ) -> Bool {
        guard bytes.count - start == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { letters in
            for offset in 0..<letters.count where bytes[start + offset] | 0x20 != letters[offset] {
                return false
            }
            return true
        }
    }
}
