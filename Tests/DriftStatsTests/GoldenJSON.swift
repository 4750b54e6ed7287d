/// A small JSON reader for the golden corpus that parses numbers with `Double(String)`, which is
/// correctly rounded. (Foundation's JSONSerialization on Linux is not: it misreads some
/// shortest-round-trip doubles by one ulp, which a relative tolerance of 1e-12 would hide but the
/// corpus's exact checks of cut points and edges would not.)
/// Objects become `[String: Any]`, arrays `[Any]`, integers `Int`, other numbers `Double`,
/// `true`/`false` `Bool`, `null` `NSNull`-free `Optional<Any>.none` stored as the string "null".
enum GoldenJSON {
    static func parse(_ text: String) -> Any? {
        var reader = Reader(bytes: Array(text.utf8))
        return reader.value()
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0

        mutating func skip() {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func value() -> Any? {
            skip()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var object = [String: Any]()
                skip()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return object
                }
                while i < bytes.count {
                    skip()
                    guard let key = string() else { return nil }
                    skip()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    object[key] = value()
                    skip()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if bytes[i] == UInt8(ascii: "}") {
                        i += 1
                        return object
                    }
                    return nil
                }
                return nil
            case UInt8(ascii: "["):
                i += 1
                var array = [Any]()
                skip()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return array
                }
                while i < bytes.count {
                    array.append(value() ?? "null")
                    skip()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if bytes[i] == UInt8(ascii: "]") {
                        i += 1
                        return array
                    }
                    return nil
                }
                return nil
            case UInt8(ascii: "\""):
                return string()
            case UInt8(ascii: "t"):
                i += 4
                return true
            case UInt8(ascii: "f"):
                i += 5
                return false
            case UInt8(ascii: "n"):
                i += 4
                return "null"
            default:
                let start = i
                var isInteger = true
                while i < bytes.count, let c = Optional(bytes[i]),
                    (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45
                {
                    if c == 0x2E || c == 0x65 || c == 0x45 { isInteger = false }
                    i += 1
                }
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                if isInteger, let n = Int(text) { return n }
                return Double(text)
            }
        }

        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var out = [UInt8]()
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                    i += 1
                    switch bytes[i] {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: bytes[(i + 1)..<min(i + 5, bytes.count)], as: UTF8.self)
                        if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                            out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        }
                        i += 4
                    default: out.append(bytes[i])
                    }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            i += 1
            return String(decoding: out, as: UTF8.self)
        }
    }
}
