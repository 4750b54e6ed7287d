/// A statement parameter, sent in libpq's text format (`PQexecParams`); never spliced into SQL.
package struct PostgresParameter: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByNilLiteral
{
    /// The text form, or nil for SQL NULL.
    package let text: String?

    package init(text: String?) { self.text = text }
    package init(stringLiteral value: String) { text = value }
    package init(integerLiteral value: Int) { text = String(value) }
    package init(nilLiteral: ()) { text = nil }

    package static func string(_ value: String?) -> PostgresParameter { PostgresParameter(text: value) }
    package static func int(_ value: Int?) -> PostgresParameter { PostgresParameter(text: value.map { String($0) }) }
    package static func bool(_ value: Bool) -> PostgresParameter { PostgresParameter(text: value ? "true" : "false") }
    /// A double in shortest round-trip form (`Infinity`, `-Infinity`, `NaN` as PostgreSQL spells them).
    package static func double(_ value: Double?) -> PostgresParameter {
        guard let value else { return nil }
        return PostgresParameter(text: postgresDouble(value))
    }
    /// A `float8[]` literal.
    package static func doubles(_ values: [Double]) -> PostgresParameter {
        PostgresParameter(text: "{" + values.map(postgresDouble).joined(separator: ",") + "}")
    }

    static func postgresDouble(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        return v.description
    }
}
