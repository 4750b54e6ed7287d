import DriftCore
import DriftTables

/// A model as `GET /v1/models/{model}` answers it: its task, window, lateness, and each feature with its
/// type and drift methods; `configured` when it comes from the configuration file.
struct ModelDescription: JSONWritable, Sendable {
    let model: ModelConfiguration
    let configured: Bool

    func writeMembers(to w: inout JSONWriter) {
        w.string("name", model.name)
        w.string("task", model.task.rawValue)
        w.bool("configured", configured)
        switch model.window {
        case .duration(let seconds): w.integer("window_seconds", seconds)
        case .events(let n): w.integer("window_events", n)
        }
        w.integer("allowed_lateness_seconds", model.allowedLatenessSeconds)
        w.beginArray("features")
        for feature in model.features {
            w.beginObject()
            w.string("name", feature.name)
            w.string("type", feature.type.rawValue)
            w.beginArray("methods")
            for m in model.methods(for: feature) { w.string(nil, m.rawValue) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
    }
}

/// `GET /v1/models`: every configured and registered model.
struct ModelDescriptionList: JSONWritable, Sendable {
    let models: [ModelDescription]

    func writeMembers(to w: inout JSONWriter) { w.array("models", models) }
}
