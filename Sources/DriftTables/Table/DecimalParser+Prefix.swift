extension DecimalParser {
    /// Parses the plain decimal number that starts at `p` inside a larger buffer (a CSV row) and
    /// ends at the first byte that cannot continue it, moving `p` past it. The caller checks that a
    /// delimiter follows. Same grammar and rounding as `parse(_:)` without `inf`/`nan`.
    ///
    /// Nil, with `p` unchanged, when there is no number there or when only the slow path could
    /// decide its rounding: the caller then takes the field whole through `parse(_:)`, so a field
    /// parsed here always has exactly the value `parse(_:)` gives it.
    @inline(__always)
    static func parsePrefix(_ bytes: UnsafeBufferPointer<UInt8>, at p: inout Int) -> Double? {
        guard p < bytes.count else { return nil }
        let first = bytes[p]
        let negative = first == asciiMinus
        let start = p &+ Int(truncatingIfNeeded: UInt8(negative ? 1 : 0) | UInt8(first == asciiPlus ? 1 : 0))
        guard let (literal, next) = scanDecimalPrefix(bytes, from: start) else { return nil }
        // Eisel–Lemire first: its two multiplications pipeline across the numbers of a row, where
        // Clinger's division (the usual first choice) stalls on the divider; both round correctly.
        let magnitude: Double
        if let bits = eiselLemireBits(literal) {
            magnitude = Double(bitPattern: bits)
        } else if let exact = clingerFastPath(literal) {
            magnitude = exact
        } else {
            return nil
        }
        p = next
        let signBit: UInt64 = negative ? 1 << 63 : 0
        return Double(bitPattern: magnitude.bitPattern | signBit)
    }
}
