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
            w.beginObject()
            w.string("name", f.name)
            w.string("type", "numeric")
            w.integer("count", p.count)
            w.integer("missing", p.missing)
            w.bool("exact", p.sortedValues != nil)
            w.endObject()
        }
        for (f, p) in zip(schema.categoricalFeatures, stored.profile.categorical) {
            w.beginObject()
            w.string("name", f.name)
            w.string("type", "categorical")
            w.integer("count", p.count)
            w.integer("missing", p.missing)
            w.integer("categories", p.counts.count)
            w.endObject()
        }
        w.endArray()
    }
}
