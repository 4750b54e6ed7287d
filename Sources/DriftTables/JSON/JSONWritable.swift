/// A value written as one JSON object by `JSONWriter`, so that every reply and output shares one number
/// format (shortest round-trip; non-finite numbers as strings).
package protocol JSONWritable {
    /// Writes the object's members; the caller opens and closes the object.
    func writeMembers(to w: inout JSONWriter)
}

extension JSONWritable {
    /// The value as JSON text: one line, or indented when `pretty`.
    package func jsonText(pretty: Bool = false) -> String {
        var w = JSONWriter(pretty: pretty)
        w.beginObject()
        writeMembers(to: &w)
        w.endObject()
        return w.text
    }
}

extension JSONWriter {
    /// Writes `value` as an object (a member named `key`, or an array element when `key` is nil).
    package mutating func object(_ key: String?, _ value: some JSONWritable) {
        beginObject(key)
        value.writeMembers(to: &self)
        endObject()
    }

    /// Writes `value` as an object, or `null` when it is nil.
    package mutating func object(_ key: String?, _ value: (some JSONWritable)?) {
        if let value { object(key, value) } else { null(key) }
    }

    /// Writes `values` as an array of objects named `key`.
    package mutating func array(_ key: String?, _ values: some Sequence<some JSONWritable>) {
        beginArray(key)
        for value in values { object(nil, value) }
        endArray()
    }
}
