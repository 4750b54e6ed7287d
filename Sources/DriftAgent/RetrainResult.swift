import DriftTables

/// A built-in retraining job's result (`retrain_jobs.result`, and the `retrain.completed` notification):
/// the decision and why, both scores, what the challenger was trained on, and how long it took.
struct RetrainResult: Sendable {
    let promote: Bool
    let why: String
    let metric: String
    let championScore: Double?
    let challengerScore: Double
    let championVersion: Int?
    /// `artifact`, `logged_predictions`, or nil when the champion was not scored.
    let championScoredOn: String?
    let kind: String
    let trainingRows: Int
    let holdoutRows: Int
    let trainedFrom: Int64
    let trainedTo: Int64
    let challengerEvaluationJSON: String
    let championEvaluationJSON: String?
    let loadSeconds: Double
    let trainSeconds: Double

    /// The result as JSON, once the challenger is stored as `version`.
    func json(version: Int) -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("decision", promote ? "promoted" : "kept")
        w.string("why", why)
        w.string("metric", metric)
        w.number("champion", championScore)
        w.number("challenger", challengerScore)
        if let championVersion { w.integer("champion_version", championVersion) } else { w.null("champion_version") }
        w.string("champion_scored_on", championScoredOn)
        w.string("kind", kind)
        w.integer("training_rows", trainingRows)
        w.integer("holdout_rows", holdoutRows)
        w.string("trained_from", RFC3339.text(microseconds: trainedFrom))
        w.string("trained_to", RFC3339.text(microseconds: trainedTo))
        w.raw("challenger_evaluation", challengerEvaluationJSON)
        if let championEvaluationJSON {
            w.raw("champion_evaluation", championEvaluationJSON)
        } else {
            w.null("champion_evaluation")
        }
        w.beginObject("seconds")
        w.number("load", loadSeconds)
        w.number("train_and_evaluate", trainSeconds)
        w.endObject()
        w.integer("version", version)
        w.endObject()
        return w.text
    }
}
