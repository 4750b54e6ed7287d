import DriftCore
import DriftTables
import DriftTrainer

/// The reply of `POST /v1/models/{model}/predict`: one served prediction, or — for `{"instances": [...]}`
/// — the champion's version and every prediction in order.
struct PredictReply: JSONWritable, Sendable {
    /// One event's answer: its id and time, the label (or value) and the class probabilities.
    struct Served: JSONWritable, Sendable {
        let event: PredictionEvent
        let prediction: Prediction
        let task: ModelTask
        let classes: [String]
        let version: Int

        func writeMembers(to w: inout JSONWriter) {
            w.string("id", event.id)
            w.string("timestamp", RFC3339.text(microseconds: event.timestamp))
            if task == .regression {
                w.number("prediction", prediction.value)
            } else {
                w.string("prediction", prediction.label)
                w.beginObject("scores")
                for (label, score) in zip(classes, prediction.scores) { w.number(label, score) }
                w.endObject()
            }
            w.integer("model_version", version)
        }
    }

    /// Whether the request was `{"instances": [...]}`.
    let batch: Bool
    let version: Int
    let served: [Served]

    func writeMembers(to w: inout JSONWriter) {
        if batch {
            w.integer("model_version", version)
            w.array("predictions", served)
        } else if let one = served.first {
            one.writeMembers(to: &w)
        }
    }
}
