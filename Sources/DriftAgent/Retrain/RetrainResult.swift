import DriftCore
import DriftTables

/// A built-in retraining job's result (`retrain_jobs.result`, and the `retrain.completed` notification):
/// the decision and why, both scores, what the challenger was trained on, and how long it took.
struct RetrainResult: Sendable {
    /// Promote the challenger or keep the champion, and why.
    let verdict: (promote: Bool, why: String)
    /// The policy's metric and both scores on the held-out rows (the champion's nil when not scored).
    let metric: EvaluationMetric
    let scores: (champion: Double?, challenger: Double)
    /// The champion's version, what it was scored on (`artifact`, `logged_predictions`, nil) and its
    /// evaluation (JSON).
    let champion: (version: Int?, scoredOn: String?, evaluationJSON: String?)
    /// The challenger's model kind and evaluation (JSON).
    let challenger: (kind: String, evaluationJSON: String)
    /// Rows trained on and held out, and the event times trained on.
    let rows: (training: Int, holdout: Int)
    let trained: (from: Int64, to: Int64)
    /// Seconds spent loading the rows, and training and evaluating.
    let seconds: (load: Double, trainAndEvaluate: Double)

    /// The result as JSON, once the challenger is stored as `version`.
    func json(version: Int) -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("decision", verdict.promote ? "promoted" : "kept")
        w.string("why", verdict.why)
        w.string("metric", metric.rawValue)
        w.number("champion", scores.champion)
        w.number("challenger", scores.challenger)
        if let version = champion.version { w.integer("champion_version", version) } else { w.null("champion_version") }
        w.string("champion_scored_on", champion.scoredOn)
        w.string("kind", challenger.kind)
        w.integer("training_rows", rows.training)
        w.integer("holdout_rows", rows.holdout)
        w.string("trained_from", RFC3339.text(microseconds: trained.from))
        w.string("trained_to", RFC3339.text(microseconds: trained.to))
        w.raw("challenger_evaluation", challenger.evaluationJSON)
        if let evaluation = champion.evaluationJSON {
            w.raw("champion_evaluation", evaluation)
        } else {
            w.null("champion_evaluation")
        }
        w.beginObject("seconds")
        w.number("load", seconds.load)
        w.number("train_and_evaluate", seconds.trainAndEvaluate)
        w.endObject()
        w.integer("version", version)
        w.endObject()
        return w.text
    }
}
