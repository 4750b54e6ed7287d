import DriftTables

/// The reply of `POST /v1/cloudevents`: the half kept (`pending`), received before (`duplicate`), the
/// pair stored, or feedback stored as labels.
enum CloudEventReply: JSONWritable, Sendable {
    case pending(id: String)
    /// `state` is the stored copy's state.
    case duplicate(id: String, state: String)
    case stored(id: String, accepted: Int, duplicates: Int, late: Int)
    /// The ids of the predictions labelled (the reply lists the first 100).
    case labelled(id: String, predictionIDs: [String])

    func writeMembers(to w: inout JSONWriter) {
        switch self {
        case .pending(let id):
            w.string("status", "pending")
            w.string("id", id)
        case .duplicate(let id, let state):
            w.string("status", "duplicate")
            w.string("id", id)
            w.string("state", state)
        case .stored(let id, let accepted, let duplicates, let late):
            w.string("status", "stored")
            w.string("id", id)
            w.integer("accepted", accepted)
            w.integer("duplicates", duplicates)
            w.integer("late", late)
        case .labelled(let id, let predictionIDs):
            w.string("status", "labelled")
            w.string("id", id)
            w.integer("labels", predictionIDs.count)
            w.beginArray("prediction_ids")
            for predictionID in predictionIDs.prefix(100) { w.string(nil, predictionID) }
            w.endArray()
        }
    }
}
