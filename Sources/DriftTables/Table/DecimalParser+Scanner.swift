extension DecimalParser {
    /// A syntactically valid decimal number without its sign: `mantissa × 10^exponent`.
    struct Literal {
        /// The significant digits as an integer: all of them, or the first 19 when `truncated`.
        var mantissa: UInt64
        /// The decimal exponent applied to `mantissa`.
        var exponent: Int64
        /// More than 19 significant digits: the value is in [mantissa, mantissa + 1) × 10^exponent.
        var truncated: Bool
    }
}

extension DecimalParser {
    // The ASCII bytes the grammar uses (letters in lowercase: compared after `| 0x20`).
    static let asciiZero = UInt8(ascii: "0")
    static let asciiDot = UInt8(ascii: ".")
    static let asciiPlus = UInt8(ascii: "+")
    static let asciiMinus = UInt8(ascii: "-")
    static let asciiLowerE = UInt8(ascii: "e")

    /// Exponents beyond this magnitude saturate: any nonzero value is then zero or infinite.
    static let exponentLimit: Int64 = 1 << 40
    /// The smallest 19-digit integer: a mantissa this large takes no further digit safely.
    static let nineteenDigits: UInt64 = 1_000_000_000_000_000_000

    /// Scans `bytes[start...]` (after the sign) as digits, optional `.` and fraction, optional
    /// exponent; nil unless that is exactly the whole rest of the field with at least one digit.
    @inline(__always)
    static func scanDecimal(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Literal? {
        guard let (literal, next) = scanDecimalPrefix(bytes, from: start), next == bytes.count else { return nil }
        return literal
    }

    /// Scans the longest run from `start` (after the sign) that reads as digits, optional `.` and
    /// fraction, optional exponent: (literal, index just past it), or nil when it has no digit or an
    /// `e` is not followed by exponent digits. The caller decides what may follow.
    @inline(__always)
    static func scanDecimalPrefix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (Literal, Int)? {
        let end = bytes.count
        var p = start
        var mantissa: UInt64 = 0  // wraps beyond 19 digits; recomputed below in that case
        while p < end {  // integer parts are mostly short: a plain loop
            let digit = bytes[p] &- asciiZero
            if digit > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            p += 1
        }
        let integerEnd = p
        var fractionStart = p
        if p < end && bytes[p] == asciiDot {
            p += 1
            fractionStart = p
            scanDigits(bytes, at: &p, into: &mantissa)
        }
        let fractionEnd = p
        let digitCount = (integerEnd - start) + (fractionEnd - fractionStart)
        guard digitCount > 0 else { return nil }
        var explicitExponent: Int64 = 0
        if p < end && bytes[p] | 0x20 == asciiLowerE {
            guard let (value, next) = scanExponent(bytes, from: p + 1) else { return nil }
            explicitExponent = value
            p = next
        }
        var literal = Literal(
            mantissa: mantissa, exponent: explicitExponent - Int64(fractionEnd - fractionStart),
            truncated: false)
        if digitCount > 19 {
            truncateIfNeeded(
                &literal, bytes, digits: start..<fractionEnd, integerEnd: integerEnd,
                fractionStart: fractionStart, explicitExponent: explicitExponent)
        }
        return (literal, p)
    }

    /// The exponent's optional sign and digits from `start` to the end of the field:
    /// (saturated value, end index), or nil when there are no digits.
    @inline(__always)
    static func scanExponent(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int
    ) -> (Int64, Int)? {
        let end = bytes.count
        var p = start
        var negative = false
        if p < end && (bytes[p] == asciiMinus || bytes[p] == asciiPlus) {
            negative = bytes[p] == asciiMinus
            p += 1
        }
        let digitsStart = p
        var value: Int64 = 0
        while p < end {
            let digit = bytes[p] &- asciiZero
            if digit > 9 { break }
            if value < exponentLimit { value = value * 10 + Int64(digit) }
            p += 1
        }
        guard p > digitsStart else { return nil }
        return (negative ? -value : value, p)
    }

    /// With more than 19 digits, recomputes the mantissa from the first 19 significant ones
    /// (leading zeros do not count) and marks the literal truncated.
    static func truncateIfNeeded(
        _ literal: inout Literal, _ bytes: UnsafeBufferPointer<UInt8>, digits: Range<Int>,
        integerEnd: Int, fractionStart: Int, explicitExponent: Int64
    ) {
        var leadingZeros = 0
        for index in digits {
            let byte = bytes[index]
            if byte == asciiZero {
                leadingZeros += 1
            } else if byte != asciiDot {
                break
            }
        }
        let digitCount = (integerEnd - digits.lowerBound) + (digits.upperBound - fractionStart)
        guard digitCount - leadingZeros > 19 else { return }
        var mantissa: UInt64 = 0
        var p = digits.lowerBound
        while p < integerEnd && mantissa < nineteenDigits {
            mantissa = mantissa * 10 + UInt64(bytes[p] &- asciiZero)
            p += 1
        }
        if mantissa >= nineteenDigits {
            literal.exponent = explicitExponent + Int64(integerEnd - p)
        } else {
            p = fractionStart
            while p < digits.upperBound && mantissa < nineteenDigits {
                mantissa = mantissa * 10 + UInt64(bytes[p] &- asciiZero)
                p += 1
            }
            literal.exponent = explicitExponent - Int64(p - fractionStart)
        }
        literal.mantissa = mantissa
        literal.truncated = true
    }
}
