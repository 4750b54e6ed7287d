/// A syntactically valid decimal number without its sign: `mantissa × 10^exponent`.
struct DecimalLiteral {
    /// The significant digits as an integer: all of them, or the first 19 when `truncated`.
    var mantissa: UInt64
    /// The decimal exponent applied to `mantissa`.
    var exponent: Int64
    /// More than 19 significant digits: the value lies in [mantissa, mantissa + 1) × 10^exponent.
    var truncated: Bool
}

extension DecimalParser {
    static let asciiZero = UInt8(ascii: "0")
    static let asciiDot = UInt8(ascii: ".")
    static let asciiPlus = UInt8(ascii: "+")
    static let asciiMinus = UInt8(ascii: "-")
    static let asciiLowerE = UInt8(ascii: "e")
    static let asciiLowerI = UInt8(ascii: "i")
    static let asciiLowerN = UInt8(ascii: "n")

    /// Exponents beyond this magnitude saturate: any nonzero value is then zero or infinite.
    static let exponentLimit: Int64 = 1 << 40
    /// The smallest 19-digit integer: a mantissa this large takes no further digit safely.
    static let nineteenDigits: UInt64 = 1_000_000_000_000_000_000

    /// Scans `bytes[start...]` (after the sign) as digits, optional `.` and fraction, optional
    /// exponent; nil unless that is exactly the whole rest of the field with at least one digit.
    @inline(__always)
    static func scanDecimal(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> DecimalLiteral? {
        let end = bytes.count
        var p = start
        var mantissa: UInt64 = 0  // wraps beyond 19 digits; recomputed below in that case
        scanDigits(bytes, at: &p, into: &mantissa)
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
        guard p == end else { return nil }
        var literal = DecimalLiteral(
            mantissa: mantissa, exponent: explicitExponent - Int64(fractionEnd - fractionStart),
            truncated: false)
        if digitCount > 19 {
            truncateIfNeeded(
                &literal, bytes, digits: start..<fractionEnd, integerEnd: integerEnd,
                fractionStart: fractionStart, explicitExponent: explicitExponent)
        }
        return literal
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
        _ literal: inout DecimalLiteral, _ bytes: UnsafeBufferPointer<UInt8>, digits: Range<Int>,
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

    /// Powers of ten for appending up to eight digits to a mantissa.
    static let smallPowersOfTen: [UInt64] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// Appends the digits starting at `p` to `mantissa` (wrapping) and moves `p` past them.
    /// Works eight bytes at a time: the first non-digit byte of a word ends the run, so a
    /// partial run costs no data-dependent loop. Every load lies within `bytes`.
    @inline(__always)
    static func scanDigits(_ bytes: UnsafeBufferPointer<UInt8>, at p: inout Int, into mantissa: inout UInt64) {
        let end = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        while end - p >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            let count = leadingDigitCount(word)
            guard count == 8 else {
                appendDigits(word, count: count, to: &mantissa)
                p += count
                return
            }
            mantissa = mantissa &* 100_000_000 &+ eightDigitsValue(word)
            p += 8
        }
        let remaining = end - p
        guard remaining > 0 else { return }
        if end >= 8 {
            // The field's last eight bytes, shifted so that byte p comes first; the bytes
            // shifted in are zero, which counts as a non-digit.
            let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self))
            let word = last &>> UInt64(8 * (8 - remaining))
            let count = leadingDigitCount(word)
            appendDigits(word, count: count, to: &mantissa)
            p += count
            return
        }
        while p < end {
            let digit = bytes[p] &- asciiZero
            if digit > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            p += 1
        }
    }

    /// How many of the eight bytes of the little-endian `word` are ASCII digits before the
    /// first non-digit (8 when all are). Carries and borrows only move towards later bytes,
    /// so the first flagged byte is exactly the first non-digit.
    @inline(__always)
    static func leadingDigitCount(_ word: UInt64) -> Int {
        let nonDigits = ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030))
            & 0x8080_8080_8080_8080
        return nonDigits.trailingZeroBitCount / 8
    }

    /// Appends the first `count` (0...7) digit bytes of `word` to `mantissa` (wrapping), by
    /// moving them to the end of the word behind '0' bytes and converting all eight.
    @inline(__always)
    static func appendDigits(_ word: UInt64, count: Int, to mantissa: inout UInt64) {
        guard count > 0 else { return }
        let shift = UInt64(8 * (8 - count))  // 8...56
        let padded = (word &<< shift) | (0x3030_3030_3030_3030 &>> (64 - shift))
        mantissa = mantissa &* smallPowersOfTen[count] &+ eightDigitsValue(padded)
    }

    /// The value of eight ASCII digits loaded little-endian (first digit in the lowest byte),
    /// combining neighbouring digits pairwise in three multiplications.
    @inline(__always)
    static func eightDigitsValue(_ word: UInt64) -> UInt64 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let hundredAndMillion: UInt64 = 100 + (1_000_000 << 32)
        let oneAndTenThousand: UInt64 = 1 + (10_000 << 32)
        var value = word &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8)  // pairs of digits
        return ((value & mask) &* hundredAndMillion &+ ((value >> 16) & mask) &* oneAndTenThousand) >> 32
    }
}
