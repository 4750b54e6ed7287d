extension DecimalParser {
    /// Powers of ten for appending up to eight digits to a mantissa.
    static let smallPowersOfTen: [UInt64] = [
        1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000,
    ]

    /// Appends the digits starting at `p` to `mantissa` (wrapping) and moves `p` past them.
    /// Works eight bytes at a time: the first non-digit byte of a word ends the run, so a
    /// partial run costs no data-dependent loop. Every load lies within `bytes`.
    @inline(__always)
    static func scanDigits(
        _ bytes: UnsafeBufferPointer<UInt8>, at p: inout Int, into mantissa: inout UInt64
    ) {
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
            let last = UInt64(
                littleEndian: raw.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self))
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
        let nonDigits =
            ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030))
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
        let low = (value & mask) &* hundredAndMillion
        let high = ((value >> 16) & mask) &* oneAndTenThousand
        return (low &+ high) >> 32
    }
}
