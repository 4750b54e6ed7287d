/// Writes JSON text with keys in the order given. Non-finite numbers are written as the strings
/// `"inf"`, `"-inf"` and `"nan"` (JSON has no literal for them), finite ones shortest round-trip.
package struct JSONWriter: Sendable {
    package private(set) var text = ""
    private var needsComma: [Bool] = [false]
    private let indentUnit: String
    private var depth = 0

    /// `pretty`: two-space indentation and one member per line.
    package init(pretty: Bool = true) { indentUnit = pretty ? "  " : "" }

    package mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    package mutating func endObject() { close("}") }
    package mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    package mutating func endArray() { close("]") }

    package mutating func string(_ key: String?, _ value: String) { member(key, Self.quoted(value)) }
    package mutating func string(_ key: String?, _ value: String?) {
        member(key, value.map(Self.quoted) ?? "null")
    }
    package mutating func number(_ key: String?, _ value: Double) { member(key, Self.number(value)) }
    package mutating func number(_ key: String?, _ value: Double?) { member(key, value.map(Self.number) ?? "null") }
    package mutating func integer(_ key: String?, _ value: Int) { member(key, String(value)) }
    package mutating func bool(_ key: String?, _ value: Bool) { member(key, value ? "true" : "false") }
    package mutating func null(_ key: String?) { member(key, "null") }
    /// A value that is already JSON text (e.g. a stored jsonb column), written as is.
    package mutating func raw(_ key: String?, _ json: String) { member(key, json) }

    /// A finite number shortest round-trip (`0.1`, `1e-05`, `3.0`); non-finite as a string.
    package static func number(_ v: Double) -> String {
        if v.isNaN { return "\"nan\"" }
        if v.isInfinite { return v > 0 ? "\"inf\"" : "\"-inf\"" }
        return v.description
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    package static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private mutating func prefix(_ key: String?) {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        if !indentUnit.isEmpty && depth > 0 {
            text += "\n" + String(repeating: indentUnit, count: depth)
        }
        if let key { text += Self.quoted(key) + (indentUnit.isEmpty ? ":" : ": ") }
    }

    private mutating func member(_ key: String?, _ literal: String) {
        prefix(key)
        text += literal
    }

    private mutating func open(_ key: String?, _ bracket: String) {
        prefix(key)
        text += bracket
        depth += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadMembers = needsComma.removeLast()
        depth -= 1
        if hadMembers && !indentUnit.isEmpty { text += "\n" + String(repeating: indentUnit, count: depth) }
        text += bracket
    }
}
