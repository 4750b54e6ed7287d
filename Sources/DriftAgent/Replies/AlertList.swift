import DriftStore
import DriftTables

/// The reply of `GET /v1/alerts`.
struct AlertList: JSONWritable, Sendable {
    let alerts: [AlertStore.Stored]
    /// Model id → name.
    let modelNames: [Int64: String]

    func writeMembers(to w: inout JSONWriter) {
        w.beginArray("alerts")
        for a in alerts {
            w.beginObject()
            w.string("model", modelNames[a.modelID] ?? "")
            w.string("rule", a.rule)
            w.string("state", a.state.rawValue)
            w.string("severity", a.severity)
            w.string("fingerprint", a.fingerprint)
            w.string("starts_at", RFC3339.text(microseconds: a.startsAt))
            w.string("ends_at", a.endsAt.map { RFC3339.text(microseconds: $0) })
            w.integer("breaching_windows", a.lifecycle.breaches)
            Self.raw(&w, "labels", a.labelsJSON)
            Self.raw(&w, "annotations", a.annotationsJSON)
            Self.raw(&w, "figure", a.figuresJSON)
            w.endObject()
        }
        w.endArray()
    }

    /// A stored JSON object re-emitted as a member (parsed and written again, so the reply stays valid).
    static func raw(_ w: inout JSONWriter, _ key: String, _ json: String) {
        guard case .object(let members)? = try? JSONValue.parse(json) else {
            w.null(key)
            return
        }
        w.beginObject(key)
        for (k, v) in members {
            switch v {
            case .string(let s): w.string(k, s)
            case .number(let n): w.number(k, n)
            case .bool(let b): w.bool(k, b)
            default: w.null(k)
            }
        }
        w.endObject()
    }
}
