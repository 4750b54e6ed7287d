import DriftTables
import Foundation

/// A JSON object for tests that check JSON replies and outputs: typed accessors that answer nil for a
/// missing member or one of another type, so a test writes
/// `try #require(reply.object("error")?.string("code"))` instead of casting `[String: Any]` by hand.
/// Read with DriftTables' `JSONValue` parser, whose numbers are correctly rounded (Foundation's
/// `JSONSerialization` on Linux may be one ulp off, which breaks exact comparisons).
package struct JSONObject {
    /// Why a text is not a JSON object.
    package struct NotAnObject: Error, CustomStringConvertible {
        /// The start of the text that was read.
        package let text: String
        package var description: String { "not a JSON object: \(text)" }
    }

    /// The members in their order (a repeated name keeps every occurrence; accessors read the first).
    package let pairs: [(String, JSONValue)]

    /// Wraps the members of a parsed object.
    package init(pairs: [(String, JSONValue)]) { self.pairs = pairs }

    /// Reads `text`, which must hold one JSON object.
    package init(parsing text: String) throws {
        guard case .object(let pairs) = try JSONValue.parse(text) else {
            throw NotAnObject(text: String(text.prefix(200)))
        }
        self.pairs = pairs
    }

    /// Reads `data` (UTF-8), which must hold one JSON object.
    package init(parsing data: Data) throws { try self.init(parsing: String(decoding: data, as: UTF8.self)) }

    /// Reads the file at `path`, which must hold one JSON object.
    package init(contentsOfFile path: String) throws {
        try self.init(parsing: try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The member `key` as parsed (nil when missing).
    package func value(_ key: String) -> JSONValue? { pairs.first { $0.0 == key }?.1 }

    /// The member `key` as Foundation values (`NSNumber`, `String`, `Bool`, `NSNull`, `[Any]`,
    /// `[String: Any]`), for `as?` casts and path helpers; nil when missing.
    package subscript(key: String) -> Any? { value(key).map(Self.foundation) }

    /// Every member as Foundation values (see `subscript`); the first of a repeated name.
    package var members: [String: Any] {
        var members: [String: Any] = [:]
        for (key, value) in pairs where members[key] == nil { members[key] = Self.foundation(value) }
        return members
    }

    /// Whether the member `key` is present and JSON `null`.
    package func isNull(_ key: String) -> Bool { value(key) == .null }

    /// The member `key` when it is a string.
    package func string(_ key: String) -> String? {
        if case .string(let text)? = value(key) { return text }
        return nil
    }

    /// The member `key` when it is a number with an exact `Int` value.
    package func int(_ key: String) -> Int? { double(key).flatMap { Int(exactly: $0) } }

    /// The member `key` when it is a number.
    package func double(_ key: String) -> Double? {
        if case .number(let number)? = value(key) { return number }
        return nil
    }

    /// The member `key` when it is `true` or `false`.
    package func bool(_ key: String) -> Bool? {
        if case .bool(let flag)? = value(key) { return flag }
        return nil
    }

    /// The member `key` when it is an object.
    package func object(_ key: String) -> JSONObject? {
        if case .object(let pairs)? = value(key) { return JSONObject(pairs: pairs) }
        return nil
    }

    /// The member `key` when it is an array of objects.
    package func objects(_ key: String) -> [JSONObject]? {
        guard case .array(let items)? = value(key) else { return nil }
        var objects: [JSONObject] = []
        for item in items {
            guard case .object(let pairs) = item else { return nil }
            objects.append(JSONObject(pairs: pairs))
        }
        return objects
    }

    /// The member `key` when it is an array (of anything).
    package func array(_ key: String) -> [JSONValue]? {
        if case .array(let items)? = value(key) { return items }
        return nil
    }

    /// The member `key` when it is an array of strings.
    package func strings(_ key: String) -> [String]? {
        array(key)?.reduce(into: [String]?.some([])) { result, item in
            if case .string(let text) = item { result?.append(text) } else { result = nil }
        }
    }

    /// The member `key` when it is an array of numbers.
    package func doubles(_ key: String) -> [Double]? {
        array(key)?.reduce(into: [Double]?.some([])) { result, item in
            if case .number(let number) = item { result?.append(number) } else { result = nil }
        }
    }

    /// A parsed value as the Foundation value `JSONSerialization` would give (numbers as `NSNumber`).
    private static func foundation(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .number(let number): return NSNumber(value: number)
        case .string(let text): return text
        case .array(let items): return items.map(foundation)
        case .object(let pairs): return JSONObject(pairs: pairs).members
        }
    }
}
