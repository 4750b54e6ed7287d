import DriftStats
import DriftTables
import Testing

@testable import DriftTables

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `DecimalParser` must agree bit for bit with `Double(String)`, which is correctly rounded.
@Suite struct DecimalParserTests {
    // MARK: Random values

    @Test func shortestRoundTripOfRandomDoubles() async {
        // 2,000,000 values in 8 seeded chunks; half uniform over all finite bit patterns, half
        // shaped like data columns. The parse must equal `Double(String)` and, since
        // `description` round-trips, the original value.
        let failures = await withTaskGroup(of: [String].self) { group in
            for chunk in 0..<8 {
                group.addTask { Self.checkShortest(seed: UInt64(chunk), count: 250_000) }
            }
            var all: [String] = []
            for await failed in group { all += failed }
            return all
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(5))")
    }

    @Test func randomDoublesWithOneToTwentyFiveSignificantDigits() {
        var random = SplitMix64(seed: 25)
        var failures: [String] = []
        for round in 0..<3_000 {
            let value = round % 2 == 0 ? random.finiteDouble() : random.dataLikeDouble()
            for digits in 1...25 {
                failures += mismatches([
                    formatted(value, "%.*e", digits - 1), formatted(value, "%.*g", digits),
                ])
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(5))")
    }

    @Test func integers() {
        var texts = (0...20_000).map { String($0) } + (0...400).map { "\($0 * 99_991).0" }
        var random = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let integer = random.next() >> (random.next() % 64)
            let exponent = Int(random.next() % 40) - 20
            texts += [String(integer), "-\(integer).0", "\(integer)e\(exponent)"]
        }
        for offset in 0...12 {
            let zeros = String(repeating: "0", count: offset)
            texts += [String((1 << 53) + offset), String((1 << 53) - offset)]
            texts += ["\(UInt64.max - UInt64(offset))", "1844674407370955161\(offset % 10)"]
            texts += ["9007199254740993\(zeros)", "9007199254740993\(zeros)e-\(offset)"]
        }
        for power in 0...40 { texts.append("1" + String(repeating: "0", count: power)) }
        for power in -350...350 { texts += ["1e\(power)", "-9e\(power)", "123456789e\(power)"] }
        let failures = mismatches(texts)
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(5))")
    }

    @Test func randomDigitLayouts() {
        // Every split of up to 25 digits between integer part and fraction, with and without
        // signs and exponents: exercises each offset of the eight-byte digit scanning.
        var random = SplitMix64(seed: 88)
        var texts: [String] = []
        for _ in 0..<40_000 {
            let digits = (0..<Int(random.next() % 26)).map { _ in String(random.next() % 10) }
            let point = Int(random.next() % UInt64(digits.count + 1))
            var text = ["", "-", "+"][Int(random.next() % 3)] + digits[..<point].joined()
            if random.next() % 4 != 0 || point == 0 { text += "." + digits[point...].joined() }
            if random.next() % 3 == 0 { text += "e\(Int(random.next() % 80) - 40)" }
            texts.append(text)
        }
        let failures = mismatches(texts)
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(5))")
    }

    // MARK: Halfway points

    @Test func decimalsAroundHalfwayPointsRoundCorrectly() {
        var random = SplitMix64(seed: 2024)
        var failures: [String] = []
        for round in 0..<1_500 {
            let lower: Double
            switch round % 3 {
            case 0: lower = abs(random.finiteDouble())
            case 1: lower = Double(bitPattern: random.next() >> 12)  // subnormal
            default:  // [2^49, 2^64): ties have at most ~20 digits (the q in -4...23 tie branch)
                lower = Double(random.next() >> (random.next() % 15)).nextDown
            }
            failures += checkHalfway(below: lower)
        }
        let boundaries: [Double] = [
            0, .leastNonzeroMagnitude, .leastNormalMagnitude.nextDown, .leastNormalMagnitude,
            .greatestFiniteMagnitude, Double.greatestFiniteMagnitude.nextDown, 1, 1.0.nextDown,
            9_007_199_254_740_992, 0.1, 1e23, 1e-300,
        ]
        for lower in boundaries { failures += checkHalfway(below: lower) }
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(5))")
    }

    // MARK: Extremes

    @Test func subnormalDecimalsRoundCorrectly() {
        var random = SplitMix64(seed: 324)
        var texts: [String] = []
        for _ in 0..<5_000 {
            let value = Double(bitPattern: random.next() >> (12 + random.next() % 40))
            texts += [value.description, formatted(value, "%.*e", Int(random.next() % 25))]
        }
        texts += [
            "4.9406564584124654e-324", "5e-324", "2.2250738585072011e-308", "3e-324", "7.4e-324",
            "2.2250738585072014e-308", "2.2250738585072012e-308", "4.4501477170144023e-308",
            "2.225073858507201136057409796709131975934819546351645648e-308", "1e-320",
        ]
        let failures = mismatches(texts)
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(5))")
    }

    @Test func decimalsNearTheLargestDoubleRoundCorrectly() {
        var nearMaximum: [String] = []
        var value = Double.greatestFiniteMagnitude
        for _ in 0..<200 {
            nearMaximum += (1...25).map { formatted(value, "%.*e", $0 - 1) }
            nearMaximum.append(value.description)
            value = value.nextDown
        }
        let failures = mismatches(nearMaximum)
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(5))")
    }

    @Test func decimalsBeyondTheDoubleRangeOverflowOrUnderflow() {
        let expectations: [(String, Double)] = [
            ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("1.7976931348623158e308", .greatestFiniteMagnitude),
            ("1.7976931348623159e308", .infinity), ("-1.7976931348623159e308", -.infinity),
            ("1e308", 1e308), ("1e309", .infinity), ("-1e309", -.infinity), ("1e-324", 0),
            ("-1e-324", -0.0), ("2.4703282292062327e-324", 0),
            ("2.4703282292062328e-324", .leastNonzeroMagnitude),
            ("1e99999999999999999999999", .infinity), ("1e-99999999999999999999999", 0),
            ("0e99999999999999999999999", 0), ("-0e-5", -0.0), ("0.0000e400", 0),
        ]
        for (text, expected) in expectations {
            #expect(DecimalParser.parse(text)?.bitPattern == expected.bitPattern, "\(text)")
            #expect(Double(text)?.bitPattern == expected.bitPattern, "reference for \(text)")
        }
    }

    @Test func longDigitStrings() {
        var random = SplitMix64(seed: 800)
        var texts: [String] = []
        for _ in 0..<300 {
            let digits = String((0..<800).map { _ in Character(String(random.next() % 10)) })
            let point = Int(random.next() % 801)
            let placed = digits.prefix(point) + "." + digits.dropFirst(point)
            texts += [digits, String(placed), "0.\(digits)e-\(random.next() % 330)"]
            texts.append("\(digits)e-\(random.next() % 1200)")
        }
        let zeros = String(repeating: "0", count: 790)
        texts += [
            "1\(zeros)", "1\(zeros)e-790", "0.\(zeros)1", "0.\(zeros)1e790", "1.\(zeros)1",
            "9007199254740993.\(zeros)", "9007199254740993.\(zeros)1",
            "9007199254740993\(zeros)e-790", "123456789012345678901234567890",
            "0.000000000000000000000000000001234567890123456789012",
        ]
        let failures = mismatches(texts)
        #expect(failures.isEmpty, "\(failures.count) mismatches, e.g. \(failures.prefix(3))")
    }

    // MARK: Syntax

    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("+0", 0.0), ("5.", 5), (".5", 0.5), ("-.5", -0.5), ("+5.", 5),
        ("1e5", 1e5), ("1E5", 1e5), ("1e+5", 1e5), ("1e-5", 1e-5), ("-1.5E-3", -1.5e-3),
        ("00012", 12), ("0.000", 0), ("-0.7901524999630146", -0.7901524999630146),
        ("39811.0", 39811), ("3.0", 3), ("1e-05", 1e-5), ("inf", .infinity), ("-inf", -.infinity),
        ("+inf", .infinity), ("INF", .infinity), ("Infinity", .infinity), ("-Infinity", -.infinity),
        ("iNfInItY", .infinity), ("1.5e0010", 1.5e10), ("1.e3", 1000), (".5e-1", 0.05),
    ])
    func validSyntax(text: String, expected: Double) {
        #expect(DecimalParser.parse(text)?.bitPattern == expected.bitPattern)
    }

    @Test(arguments: ["nan", "NaN", "-nan", "+NAN", "nAn"])
    func notANumber(text: String) throws {
        let value = try #require(DecimalParser.parse(text))
        #expect(value.isNaN)
        #expect(value.sign == (text.hasPrefix("-") ? .minus : .plus))
    }

    @Test(arguments: [
        "", "-", "+", ".", "1e", "1e+", "1e-", "--1", "+-1", "-+1", "1.2.3", " 1", "1 ", "0x10",
        "1_000", "1,5", "e5", ".e5", "-.e1", "1e5.0", "1ee5", "1e5e5", "in", "infi", "infinit",
        "infinityy", "nana", "nan(123)", "na", "1f", "1d", "\t1", "1\n", "+.", "-.", "0.5.", "1..2",
        "e", "E", "inf inity", "- 1", "1e 5", "١", "1\u{0}", "0x1p3", "+-inf", "--nan", "infnan",
    ])
    func invalidSyntax(text: String) {
        #expect(DecimalParser.parse(text) == nil)
    }

    @Test func parsesOnlyTheGivenBytesOfALargerBuffer() {
        let bytes = Array("-1234567.8901234567890123e-3x".utf8)
        bytes.withUnsafeBufferPointer { whole in
            for length in 0...bytes.count {
                let prefix = UnsafeBufferPointer(rebasing: whole[0..<length])
                let text = String(decoding: prefix, as: UTF8.self)
                let expected = Double(text)?.bitPattern
                #expect(DecimalParser.parse(prefix)?.bitPattern == expected, "\(text)")
            }
        }
    }

    @Test func powersOfFiveTable() {
        let table = DecimalParser.powersOfFive
        let smallest = DecimalParser.smallestPowerOfFive
        #expect(table.count == 2 * (DecimalParser.largestPowerOfFive - smallest + 1))
        var power: UInt64 = 1
        for q in 0...27 {  // 5^q < 2^64: the entry is exactly 5^q shifted to bit 127
            let index = 2 * (q - smallest)
            #expect(table[index] == power << UInt64(power.leadingZeroBitCount))
            #expect(table[index + 1] == 0)
            if q < 27 { power *= 5 }
        }
        let minusOne = 2 * (-1 - smallest)  // 2^130 / 5, rounded up
        #expect(table[minusOne] == 0xCCCC_CCCC_CCCC_CCCC)
        #expect(table[minusOne + 1] == 0xCCCC_CCCC_CCCC_CCCD)
        for index in stride(from: 0, to: table.count, by: 2) { #expect(table[index] >> 63 == 1) }
    }
}

// MARK: - Helpers

extension DecimalParserTests {
    /// Parses `count` shortest representations of seeded random doubles; returns the failures.
    static func checkShortest(seed: UInt64, count: Int) -> [String] {
        var random = SplitMix64(seed: seed)
        var failures: [String] = []
        for index in 0..<count {
            let value = index % 2 == 0 ? random.finiteDouble() : random.dataLikeDouble()
            let text = value.description
            let parsed = DecimalParser.parse(text)?.bitPattern
            if parsed != Double(text)?.bitPattern || parsed != value.bitPattern {
                failures.append(text)
            }
        }
        return failures
    }

    /// Builds the exact decimal midpoint between `lower` and the next double up, and the
    /// decimals one unit below and above it in the last digit, and checks how they round; also
    /// checks 15- to 22-digit truncations of the midpoint (and those plus one) against `Double`.
    func checkHalfway(below lower: Double) -> [String] {
        let upper = lower.nextUp
        // lower = M × 2^E exactly; the midpoint is (2M + 1) × 2^(E - 1).
        let significand =
            lower.exponentBitPattern == 0
            ? lower.significandBitPattern : lower.significandBitPattern | 1 << 52
        let binaryExponent = max(Int(lower.exponentBitPattern), 1) - 1075 - 1
        var exact = BigDecimal(2 * significand + 1)
        if binaryExponent >= 0 {
            exact.multiply(by: 2, times: binaryExponent)
        } else {
            exact.multiply(by: 5, times: -binaryExponent)  // N × 2^-j = N × 5^j × 10^-j
        }
        let digits = exact.digits
        let exponent = min(binaryExponent, 0)
        let tie = significand % 2 == 0 ? lower : upper
        var failures: [String] = []
        let cases = [(digits, tie), (decrement(digits), lower), (increment(digits), upper)]
        for (text, expected) in cases.map({ (scientific($0.0, exponent: exponent), $0.1) }) {
            if DecimalParser.parse(text)?.bitPattern != expected.bitPattern {
                failures.append(text)
            }
        }
        for length in 15...22 where length < digits.count {
            let prefix = Array(digits.prefix(length))
            let shifted = exponent + digits.count - length
            failures += mismatches([
                scientific(prefix, exponent: shifted),
                scientific(increment(prefix), exponent: shifted),
            ])
        }
        return failures
    }
}

/// The texts where `DecimalParser.parse` and `Double(String)` disagree.
private func mismatches(_ texts: [String]) -> [String] {
    texts.filter { text in
        switch (DecimalParser.parse(text), Double(text)) {
        case (nil, nil): false
        case let (actual?, expected?):
            !(actual.bitPattern == expected.bitPattern || (actual.isNaN && expected.isNaN))
        default: true
        }
    }
}

/// `value` through the C library's `printf` with one precision argument, e.g. "%.*e".
private func formatted(_ value: Double, _ format: String, _ precision: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let length = withVaList([Int32(precision), value]) { arguments in
        buffer.withUnsafeMutableBufferPointer {
            vsnprintf($0.baseAddress, $0.count, format, arguments)
        }
    }
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// ASCII digits `d0 d1 ... dn` times 10^exponent as "d0.d1...dne<exponent>".
private func scientific(_ digits: [UInt8], exponent: Int) -> String {
    var text = String(decoding: digits.prefix(1), as: UTF8.self)
    if digits.count > 1 { text += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
    return text + "e\(exponent + digits.count - 1)"
}

/// ASCII decimal digits plus one in the last place.
private func increment(_ digits: [UInt8]) -> [UInt8] {
    var result = digits
    for index in result.indices.reversed() {
        if result[index] != UInt8(ascii: "9") {
            result[index] += 1
            return result
        }
        result[index] = UInt8(ascii: "0")
    }
    return [UInt8(ascii: "1")] + result
}

/// ASCII decimal digits (a positive number) minus one in the last place.
private func decrement(_ digits: [UInt8]) -> [UInt8] {
    var result = digits
    for index in result.indices.reversed() {
        if result[index] != UInt8(ascii: "0") {
            result[index] -= 1
            break
        }
        result[index] = UInt8(ascii: "9")
    }
    let significant = result.drop { $0 == UInt8(ascii: "0") }
    return significant.isEmpty ? [UInt8(ascii: "0")] : Array(significant)
}

/// A non-negative integer in base 10^9 limbs, little-endian: just enough to print
/// N × 2^k and N × 5^k exactly.
private struct BigDecimal {
    static let base: UInt64 = 1_000_000_000
    var limbs: [UInt64]

    init(_ value: UInt64) {
        limbs = [value % Self.base, value / Self.base % Self.base, value / Self.base / Self.base]
    }

    mutating func multiply(by factor: UInt64, times count: Int) {
        var remaining = count
        while remaining > 0 {
            let step = min(remaining, 12)  // 5^12 and 2^12 keep every product below 2^64
            multiply(by: (0..<step).reduce(1) { product, _ in product * factor })
            remaining -= step
        }
    }

    mutating func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = limbs[index] * factor + carry
            limbs[index] = product % Self.base
            carry = product / Self.base
        }
        while carry > 0 {
            limbs.append(carry % Self.base)
            carry /= Self.base
        }
    }

    /// The decimal digits, without leading zeros.
    var digits: [UInt8] {
        var text = ""
        for limb in limbs.reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        let significant = text.utf8.drop { $0 == UInt8(ascii: "0") }
        return significant.isEmpty ? [UInt8(ascii: "0")] : Array(significant)
    }
}

/// A small seeded generator (SplitMix64) so every run tests the same numbers.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform over the bit patterns of finite doubles (so over all exponents).
    mutating func finiteDouble() -> Double {
        while true {
            let value = Double(bitPattern: next())
            if value.isFinite { return value }
        }
    }

    /// Values shaped like data columns: scaled uniforms, whole numbers, small magnitudes.
    mutating func dataLikeDouble() -> Double {
        let scale = [1e-8, 1e-5, 1e-3, 0.1, 1, 10, 1e3, 1e5, 1e8][Int(next() % 9)]
        let value = Double.random(in: -1..<1, using: &self) * scale
        return next() % 4 == 0 ? value.rounded() : value
    }
}
