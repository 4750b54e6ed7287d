import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import DriftTrainer
import Foundation
import Logging

/// Runs one retraining job with the built-in trainer (ARCHITECTURE.md, an event's step 7):
/// 1. reads the model's labelled predictions of the policy's training window (event time, back from the
///    newest labelled prediction; the newest `max_rows`);
/// 2. holds out the newest `holdout_fraction` of them (the challenger must do well on the newest data,
///    which is where a concept change shows);
/// 3. trains the challenger on the rest (`Trainer.train`, with its own validation split, on a thread of
///    its own);
/// 4. scores the challenger and the champion on the same held-out rows with the policy's metric — the
///    champion's artifact when it is a built-in model, otherwise the predictions as they were logged;
/// 5. decides: promote when there is no champion, or when the challenger is better by more than zero and
///    at least `margin`; otherwise keep the champion and store the challenger as `rejected`.
struct RetrainRunner {
    let environment: AgentEnvironment
    let logger: Logger

    /// What a job decided, ready to be recorded.
    struct Decision: Sendable {
        var promote: Bool
        var artifactJSON: String
        var evaluationJSON: String
        var trainedFrom: Int64
        var trainedTo: Int64
        /// The job's result (a JSON object), given the version number the challenger was stored under.
        var result: @Sendable (_ version: Int) -> String
    }

    /// A job that cannot succeed as configured or with the data there is (fails without retry).
    struct JobFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func decide(
        job: RetrainJobStore.Job, model: ModelConfiguration, modelID: Int64
    ) async throws -> Decision {
        let policy = model.retrain
        let started = monotonicSeconds()
        let (rows, champion) = try await environment.pool.withConnection(purpose: "load training data") {
            connection -> ([LabelledPredictionScan.Row], ModelVersionStore.Version?) in
            guard let newest = try LabelledPredictionScan.newestEventTime(modelID: modelID, on: connection) else {
                return ([], nil)
            }
            let from = newest - Int64(policy.trainingWindowSeconds) * 1_000_000
            let rows = try LabelledPredictionScan.rows(
                modelID: modelID, from: from, to: newest, limit: policy.maxRows, on: connection)
            return (rows, try ModelVersionStore.champion(modelID: modelID, on: connection))
        }
        let labelled = rows.filter { $0.label != nil || $0.value != nil }
        guard labelled.count >= policy.minLabelledRows else {
            throw JobFailure(
                message:
                    "only \(labelled.count) labelled predictions in the training window (\(policy.trainingWindowSeconds) s); min_labelled_rows is \(policy.minLabelledRows)"
            )
        }
        let loadSeconds = monotonicSeconds() - started
        let holdoutCount = max(1, Int((Double(labelled.count) * policy.holdoutFraction).rounded()))
        let training = Array(labelled.prefix(labelled.count - holdoutCount))
        let holdout = Array(labelled.suffix(holdoutCount))
        let builder = TrainingDataBuilder(model: model)
        let championArtifact = champion?.artifactJSON
        let options = Self.options(policy, task: model.task)
        let metric = policy.metric
        // The champion's score from its logged predictions (no artifact: a model served elsewhere).
        let loggedScore = builder.loggedScore(holdout, metric: metric)
        let trained = try await BlockingExecutor.shared.run {
            () throws -> (TrainedModel, Evaluation, Evaluation?, String?, Double) in
            let trainStarted = monotonicSeconds()
            let trainingSet = try builder.trainingSet(training)
            let holdoutSet = try builder.trainingSet(holdout)
            var challenger = try Trainer.train(trainingSet, options: options)
            challenger.training.trainedFrom = training.first?.eventTime
            challenger.training.trainedTo = training.last?.eventTime
            let challengerEvaluation = try challenger.evaluate(holdoutSet)
            var championEvaluation: Evaluation?
            var championProblem: String?
            if let championArtifact {
                do {
                    let model = try TrainedModel.decode(artifact: Array(championArtifact.utf8))
                    championEvaluation = try model.evaluate(holdoutSet)
                } catch {
                    championProblem = "the champion could not be scored: \(error)"
                }
            }
            return (
                challenger, challengerEvaluation, championEvaluation, championProblem, monotonicSeconds() - trainStarted
            )
        }
        let (challenger, challengerEvaluation, championEvaluation, championProblem, trainSeconds) = trained
        guard let challengerScore = challengerEvaluation.value(of: metric) else {
            throw JobFailure(message: "the challenger has no \(metric) on the held-out rows")
        }
        let championScore: Double? =
            champion == nil
            ? nil : (championEvaluation?.value(of: metric) ?? (championArtifact == nil ? loggedScore : nil))
        let higher = Evaluation.higherIsBetter(metric)
        let improvement = championScore.map { higher ? challengerScore - $0 : $0 - challengerScore }
        let promote: Bool
        let why: String
        if champion == nil {
            promote = true
            why = "no champion yet"
        } else if let improvement {
            promote = improvement > 0 && improvement >= policy.margin
            why =
                promote
                ? "challenger better by \(Self.format(improvement)) (margin \(Self.format(policy.margin)))"
                : "challenger not better by the margin \(Self.format(policy.margin)) (difference \(Self.format(improvement)))"
        } else {
            promote = false
            why = championProblem ?? "the champion's \(metric) could not be computed on the held-out rows"
        }
        let artifact = try challenger.artifactJSON()
        let trainedFrom = training.first?.eventTime ?? 0
        let trainedTo = training.last?.eventTime ?? 0
        let championVersion = champion?.version
        let kind = challenger.kind.rawValue
        let championEvaluationJSON = championEvaluation.map(Self.evaluationJSON)
        let challengerEvaluationJSON = Self.evaluationJSON(challengerEvaluation)
        return Decision(
            promote: promote, artifactJSON: String(decoding: artifact, as: UTF8.self),
            evaluationJSON: challengerEvaluationJSON, trainedFrom: trainedFrom, trainedTo: trainedTo,
            result: { version in
                var w = JSONWriter(pretty: false)
                w.beginObject()
                w.string("decision", promote ? "promoted" : "kept")
                w.string("why", why)
                w.string("metric", metric)
                w.number("champion", championScore)
                w.number("challenger", challengerScore)
                if let championVersion {
                    w.integer("champion_version", championVersion)
                } else {
                    w.null("champion_version")
                }
                w.string(
                    "champion_scored_on",
                    championEvaluation != nil ? "artifact" : (championScore != nil ? "logged_predictions" : nil))
                w.string("kind", kind)
                w.integer("training_rows", training.count)
                w.integer("holdout_rows", holdout.count)
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
            })
    }

    static func options(_ policy: RetrainPolicy, task: ModelTask) -> TrainingOptions {
        var options = TrainingOptions(task: task)
        options.kind = policy.modelKind.flatMap(ModelKind.init(rawValue:))
        options.seed = policy.seed
        options.threads = policy.threads
        switch policy.search {
        case "none": options.search = .none
        case "random": options.search = .random(trials: 8)
        default: options.search = .grid
        }
        return options
    }

    /// An evaluation as a JSON object with snake_case names (absent figures are left out).
    static func evaluationJSON(_ e: Evaluation) -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.integer("rows", e.rows)
        let figures: [(String, Double?)] = [
            ("accuracy", e.accuracy), ("precision", e.precision), ("recall", e.recall), ("f1", e.f1),
            ("log_loss", e.logLoss), ("roc_auc", e.rocAUC), ("mae", e.mae), ("rmse", e.rmse), ("r2", e.r2),
        ]
        for (name, value) in figures { if let value { w.number(name, value) } }
        w.endObject()
        return w.text
    }

    static func format(_ v: Double) -> String { NumberFormatting.label((v * 10_000).rounded() / 10_000) }
}
