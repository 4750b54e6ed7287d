import DriftStats
import DriftTables

/// `driftwatch metrics` of a classification log: the report (per class, averages, confusion matrix) and the
/// score-based metrics, as JSON and as text.
struct ClassificationMetrics: JSONWritable {
    /// The metrics computed from scores (nil: the log has no score column).
    struct Scores {
        var rocAUC: Double?
        /// Multiclass: the support-weighted one-vs-rest ROC AUC.
        var rocWeighted: Double?
        var logLoss: Double?
    }

    /// Rows scored, and rows left out for a missing label or prediction.
    let rows: Int
    let skipped: Int
    let task: MetricsTask
    /// Accuracy, per-class and averaged precision, recall and F1, the confusion matrix.
    let report: ClassificationReport
    let scores: Scores

    func writeMembers(to w: inout JSONWriter) {
        w.integer("rows", rows)
        w.integer("skipped_rows", skipped)
        w.string("task", task.rawValue)
        w.number("accuracy", report.accuracy)
        w.beginArray("classes")
        for c in report.perClass {
            w.beginObject()
            w.string("label", c.label)
            w.number("precision", c.precision)
            w.number("recall", c.recall)
            w.number("f1", c.f1)
            w.integer("support", c.support)
            w.endObject()
        }
        w.endArray()
        for (key, avg) in [
            ("macro", report.macroAverage), ("micro", report.microAverage), ("weighted", report.weightedAverage),
        ] {
            w.beginObject(key)
            w.number("precision", avg.precision)
            w.number("recall", avg.recall)
            w.number("f1", avg.f1)
            w.endObject()
        }
        w.beginObject("confusion_matrix")
        w.beginArray("labels")
        for l in report.confusionMatrix.labels { w.string(nil, l) }
        w.endArray()
        w.beginArray("matrix")
        for row in report.confusionMatrix.matrix {
            w.beginArray()
            for n in row { w.integer(nil, n) }
            w.endArray()
        }
        w.endArray()
        w.endObject()
        w.number("roc_auc", scores.rocAUC)
        if task == .multiclass { w.number("roc_auc_weighted", scores.rocWeighted) }
        w.number("log_loss", scores.logLoss)
    }

    var text: String {
        var text = "rows \(rows) (skipped \(skipped)), task \(task.rawValue), accuracy \(report.accuracy)\n"
        text += "class  precision  recall  f1  support\n"
        for c in report.perClass { text += "\(c.label)  \(c.precision)  \(c.recall)  \(c.f1)  \(c.support)\n" }
        text += "macro f1 \(report.macroAverage.f1), weighted f1 \(report.weightedAverage.f1)\n"
        if let rocAUC = scores.rocAUC { text += "ROC AUC \(rocAUC)\n" }
        if let logLoss = scores.logLoss { text += "log loss \(logLoss)\n" }
        return text
    }
}
