import DriftCore
import DriftTables

/// One CloudEvent (CloudEvents 1.0) as received over HTTP: its context attributes and its data.
///
/// Binary mode (the HTTP binding's default, used by KServe's and Seldon's loggers): attributes are
/// `ce-<name>` headers, percent-encoded, and the body is the data. Structured mode
/// (`Content-Type: application/cloudevents+json`): the body is one JSON object holding the attributes and
/// `data` (or `data_base64`).
package struct CloudEvent: Sendable, Equatable {
    package var specVersion: String
    package var id: String
    package var source: String
    package var type: String
    /// `time`, microseconds since the Unix epoch (UTC), when given.
    package var time: Int64?
    package var dataContentType: String?
    /// Extension attributes by lower-case name (e.g. `inferenceservicename`, `namespace`, `endpoint`).
    package var extensions: [String: String]
    /// The data as bytes (for the loggers: a JSON text).
    package var data: [UInt8]

    /// The spec versions accepted.
    package static let specVersions: Set<String> = ["1.0", "0.3"]

    /// An event from binary-mode headers (any case; names without `ce-` are ignored) and body. Problems
    /// name the header (`ce-id`, …).
    package static func binary(
        headers: [(name: String, value: String)], contentType: String?, body: [UInt8]
    ) -> Result<CloudEvent, EventProblem> {
        var attributes: [String: String] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            guard lower.hasPrefix("ce-"), lower.count > 3 else { continue }
            guard let decoded = percentDecoded(value) else {
                return .failure(.invalid(field: lower, "the value is not valid percent-encoded UTF-8"))
            }
            attributes[String(lower.dropFirst(3))] = decoded
        }
        if attributes["datacontenttype"] == nil, let contentType { attributes["datacontenttype"] = contentType }
        return make(attributes, data: body, prefix: "ce-")
    }

    /// An event from a structured-mode body (`application/cloudevents+json`). Problems name the member.
    package static func structured(_ body: UnsafeBufferPointer<UInt8>) -> Result<CloudEvent, EventProblem> {
        let envelope: JSONValue
        do {
            envelope = try JSONValue.parse(body)
        } catch {
            return .failure(EventProblem(.notJSON, field: nil, "the structured CloudEvent is not valid JSON: \(error)"))
        }
        guard case .object(let members) = envelope else {
            return .failure(.invalid(field: nil, "a structured CloudEvent is a JSON object"))
        }
        var attributes: [String: String] = [:]
        var data: [UInt8] = []
        for (name, value) in members {
            switch (name, value) {
            case ("data", let v):
                data = Array(v.jsonText.utf8)
            case ("data_base64", .string(let text)):
                guard let bytes = Base64.decode(text) else {
                    return .failure(.invalid(field: "data_base64", "not valid base64"))
                }
                data = bytes
            case ("data_base64", _):
                return .failure(.invalid(field: "data_base64", "expected a base64 string"))
            case (_, .string(let s)): attributes[name.lowercased()] = s
            case (_, .number), (_, .bool): attributes[name.lowercased()] = PredictionEventDecoder.text(value)
            case (_, .null): break
            default:
                return .failure(.invalid(field: name, "an attribute is a string, number or boolean"))
            }
        }
        return make(attributes, data: data, prefix: "")
    }

    static func make(_ attributes: [String: String], data: [UInt8], prefix: String) -> Result<CloudEvent, EventProblem>
    {
        var a = attributes
        func required(_ name: String) -> Result<String, EventProblem> {
            guard let v = a.removeValue(forKey: name), !v.isEmpty else {
                return .failure(.missing(field: prefix + name, "the CloudEvent attribute '\(name)' is required"))
            }
            return .success(v)
        }
        let specVersion: String
        let id: String
        let source: String
        let type: String
        switch (required("specversion"), required("id"), required("source"), required("type")) {
        case (.success(let v), .success(let i), .success(let s), .success(let t)):
            (specVersion, id, source, type) = (v, i, s, t)
        case (.failure(let p), _, _, _), (_, .failure(let p), _, _), (_, _, .failure(let p), _),
            (_, _, _, .failure(let p)):
            return .failure(p)
        }
        guard specVersions.contains(specVersion) else {
            return .failure(
                EventProblem.invalid(
                    field: prefix + "specversion", "spec version '\(specVersion.prefix(20))' is not 1.0"))
        }
        var time: Int64?
        if let text = a.removeValue(forKey: "time") {
            guard let t = RFC3339.microseconds(text) else {
                return .failure(.invalid(field: prefix + "time", "'\(text.prefix(40))' is not an RFC 3339 time"))
            }
            time = t
        }
        let contentType = a.removeValue(forKey: "datacontenttype")
        _ = a.removeValue(forKey: "dataschema")
        _ = a.removeValue(forKey: "subject")
        return .success(
            CloudEvent(
                specVersion: specVersion, id: id, source: source, type: type, time: time,
                dataContentType: contentType, extensions: a, data: data))
    }

    /// `%XX` escapes decoded (the HTTP binding percent-encodes header values); nil when the result is not UTF-8
    /// or an escape is cut short.
    static func percentDecoded(_ text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) else { return nil }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

/// Standard base64 (RFC 4648, padding optional), for structured CloudEvents' `data_base64`.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case UInt8(ascii: "="), 0x0A, 0x0D: continue
            default: return nil
            }
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}

extension JSONValue {
    /// The value as compact JSON text (members in their order; numbers shortest round-trip).
    package var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let v): out += JSONWriter.number(v)
        case .string(let s): out += JSONWriter.quoted(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                out += JSONWriter.quoted(key) + ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }
}
