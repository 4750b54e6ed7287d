import DriftCore
import DriftStore
import DriftTables

/// A model's current reference as `GET /v1/models/{model}/reference` answers it (and the model status
/// embeds it): source, rows, creation time and per-column counts.
struct ReferenceSummary: JSONWritable, Sendable {
    /// The model's name; nil when embedded in a reply that names the model already.
    let model: String?
    let stored: ReferenceStore.Stored
    let schema: ProfileSchema

    func writeMembers(to w: inout JSONWriter) {
        if let model { w.string("model", model) }
        w.string("source", stored.source)
        w.integer("rows", stored.rowCount)
        w.string("created_at", RFC3339.text(microseconds: stored.createdAt))
        w.beginArray("columns")
        for (f, p) in zip(schema.numericFeatures, stored.profile.numeric) {
            Self.column(f.name, "numeric", count: p.count, missing: p.missing, to: &w) {
                $0.bool("exact", p.sortedValues != nil)
            }
        }
        for (f, p) in zip(schema.categoricalFeatures, stored.profile.categorical) {
            Self.column(f.name, "categorical", count: p.count, missing: p.missing, to: &w) {
                $0.integer("categories", p.counts.count)
            }
        }
        w.endArray()
    }

    /// One column's summary: its name, type, counts, and what `extra` adds for the type.
    static func column(
        _ name: String, _ type: String, count: Int, missing: Int, to w: inout JSONWriter,
        _ extra: (inout JSONWriter) -> Void
    ) {
        w.beginObject()
        w.string("name", name)
        w.string("type", type)
        w.integer("count", count)
        w.integer("missing", missing)
        extra(&w)
        w.endObject()
    }
}
