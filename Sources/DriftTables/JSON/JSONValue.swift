/// A parsed JSON value. Numbers are parsed with `DecimalParser` (correctly rounded, unlike Foundation's
/// JSON reader on Linux). Object members keep their order.
package indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    /// The member `key` of an object (the first, should it repeat).
    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// Parses one JSON text (leading and trailing white space allowed). Nesting deeper than 64 is an error.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONValueParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.i == bytes.count else { throw parser.fail("text after the JSON value") }
        return value
    }

    /// Parses a string holding one JSON text.
    package static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        let bytes = Array(text.utf8)
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONSyntaxError) -> JSONValue in try parse(buffer) }
        }
        return try result.get()
    }
}

/// Why a JSON text did not parse, and at which character (1-based).
package struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of syntax error; a closed set. `syntax`: not JSON's grammar (a missing value, a bad token, an
    /// unclosed object, array or string); `too_deep`: arrays and objects nested more than 64 deep; `invalid_utf8`: A
    /// string that is not valid UTF-8.
    package enum Code: String, Sendable, CustomStringConvertible {
        case syntax, tooDeep = "too_deep", invalidUTF8 = "invalid_utf8"
        package var description: String { rawValue }
    }

    package let code: Code
    package let message: String
    /// The 1-based character (byte) where parsing stopped.
    package let position: Int
    /// `message (at character n)`.
    package var description: String { "\(message) (at character \(position))" }
}

struct JSONValueParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    func fail(_ message: String, _ code: JSONSyntaxError.Code = .syntax) -> JSONSyntaxError {
        JSONSyntaxError(code: code, message: message, position: i + 1)
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < 64 else { throw fail("nested too deeply", .tooDeep) }
        guard i < bytes.count else { throw fail("a value is missing") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw fail("the object is not closed") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                i += 1
                return .object(members)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("the array is not closed") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                i += 1
                return .array(items)
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            let start = i
            while i < bytes.count, let c = Optional(bytes[i]),
                (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45
            { i += 1 }
            guard i > start, let v = DecimalParser.parse(UnsafeBufferPointer(rebasing: bytes[start..<i])), v.isFinite
            else { throw fail("not a JSON value") }
            return .number(v)
        }
    }

    mutating func literal(_ word: String) throws(JSONSyntaxError) {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw fail("not a JSON value") }
            i += 1
        }
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        i += 1
        var out = [UInt8]()
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw fail("a string is not valid UTF-8", .invalidUTF8)
                }
                i += 1
                return text
            }
            if b < 0x20 { throw fail("a control character inside a string") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(bytes[i])
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"),
                        bytes[i + 2] == UInt8(ascii: "u")
                    {
                        i += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
                default: throw fail("unknown escape in a string")
                }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        throw fail("a string is not closed")
    }

    /// The 4 hex digits after `\u`, leaving `i` on the last one.
    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 < bytes.count else { throw fail("a \\u escape is cut short") }
        var v: UInt32 = 0
        for k in 1...4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad hex digit in a \\u escape")
            }
            v = v * 16 + d
        }
        i += 4
        return v
    }
}
