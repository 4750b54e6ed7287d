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
