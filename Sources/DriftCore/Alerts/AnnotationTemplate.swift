/// Fills `{{name}}` placeholders of an annotation template with values; unknown names are left as they are.
package enum AnnotationTemplate {
    package static func render(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += values[name] ?? "{{\(name)}}"
            rest = after[close.upperBound...]
        }
        return out + rest
    }
}
