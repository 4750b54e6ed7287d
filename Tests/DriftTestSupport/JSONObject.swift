import Foundation

/// A JSON object read with Foundation, for tests that check JSON replies and outputs: typed accessors
/// that answer nil for a missing member or one of another type, so a test writes
/// `try #require(reply.object("error")?.string("code"))` instead of casting `[String: Any]` by hand.
package struct JSONObject {
    /// Why a text is not a JSON object.
    package struct NotAnObject: Error, CustomStringConvertible {
        /// The start of the text that was read.
        package let text: String
        package var description: String { "not a JSON object: \(text)" }
    }

    /// The members, as `JSONSerialization` reads them.
    package let members: [String: Any]

    /// Wraps members already read.
    package init(_ members: [String: Any]) { self.members = members }

    /// Reads `data`, which must hold one JSON object.
    package init(parsing data: Data) throws {
        let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        guard let members = value as? [String: Any] else {
            throw NotAnObject(text: String(decoding: data.prefix(200), as: UTF8.self))
        }
        self.members = members
    }

    /// Reads `text`, which must hold one JSON object.
    package init(parsing text: String) throws { try self.init(parsing: Data(text.utf8)) }

    /// Reads the file at `path`, which must hold one JSON object.
    package init(contentsOfFile path: String) throws {
        try self.init(parsing: try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The member `key`, untyped (nil when missing).
    package subscript(key: String) -> Any? { members[key] }

    /// Whether the member `key` is present and JSON `null`.
    package func isNull(_ key: String) -> Bool { members[key] is NSNull }

    /// The member `key` when it is a string.
    package func string(_ key: String) -> String? { members[key] as? String }

    /// The member `key` when it is a number with an exact `Int` value.
    package func int(_ key: String) -> Int? { number(key).flatMap { $0 as? Int } }

    /// The member `key` when it is a number.
    package func double(_ key: String) -> Double? { number(key)?.doubleValue }

    /// The member `key` when it is `true` or `false`.
    package func bool(_ key: String) -> Bool? {
        guard let value = members[key] as? NSNumber, Self.isBoolean(value) else { return nil }
        return value.boolValue
    }

    /// The member `key` when it is an object.
    package func object(_ key: String) -> JSONObject? { (members[key] as? [String: Any]).map(JSONObject.init) }

    /// The member `key` when it is an array of objects.
    package func objects(_ key: String) -> [JSONObject]? {
        (members[key] as? [[String: Any]]).map { $0.map(JSONObject.init) }
    }

    /// The member `key` when it is an array (of anything).
    package func array(_ key: String) -> [Any]? { members[key] as? [Any] }

    /// The member `key` when it is an array of strings.
    package func strings(_ key: String) -> [String]? { members[key] as? [String] }

    /// The member `key` when it is an array of numbers.
    package func doubles(_ key: String) -> [Double]? {
        (members[key] as? [NSNumber]).map { $0.map(\.doubleValue) }
    }

    /// The member `key` when it is a number (not `true` or `false`, which Foundation also reads as
    /// `NSNumber`s).
    private func number(_ key: String) -> NSNumber? {
        guard let value = members[key] as? NSNumber, !Self.isBoolean(value) else { return nil }
        return value
    }

    /// Foundation reads `true` and `false` as `NSNumber`s of type `c`; numbers never have that type.
    private static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }
}
