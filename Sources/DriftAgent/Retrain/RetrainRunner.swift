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
        /// The challenger's artifact and its evaluation on the held-out rows (JSON).
        var artifactJSON: String, evaluationJSON: String
        /// The event times the challenger was trained on (µs).
        var trainedFrom: Int64, trainedTo: Int64
        /// The job's result (a JSON object), given the version number the challenger was stored under.
        var result: @Sendable (_ version: Int) -> String
    }

    /// A job that cannot succeed as configured or with the data there is (fails without retry).
    struct JobFailure: Error, Sendable, CustomStringConvertible {
        /// The kind of failure; a closed set. `too_few_labels`: fewer labelled predictions in the training window
        /// than `min_labelled_rows`; `no_metric`: the challenger's metric is undefined on the held-out rows.
        enum Code: String, Sendable, CustomStringConvertible {
            case tooFewLabels = "too_few_labels", noMetric = "no_metric"
            var description: String { rawValue }
        }

        let code: Code
        let message: String
        var description: String { message }
    }

    func decide(
        job: RetrainJobStore.Job, model: ModelConfiguration, modelID: Int64
    ) async throws -> Decision {
        let policy = model.retrain
        let started = monotonicSeconds()
        let (rows, champion) = try await load(policy, modelID: modelID)
        let labelled = rows.filter { $0.label != nil || $0.labelValue != nil }
        guard labelled.count >= policy.minLabelledRows else {
            throw JobFailure(
                code: .tooFewLabels,
                message:
                    "only \(labelled.count) labelled predictions in the training window (\(policy.trainingWindowSeconds) s); min_labelled_rows is \(policy.minLabelledRows)"
            )
        }
        let loadSeconds = monotonicSeconds() - started
        let holdoutCount = max(
            1, Int(clampingFinite: (Double(labelled.count) * policy.holdoutFraction).rounded(), nan: 1))
        let training = Array(labelled.prefix(labelled.count - holdoutCount))
        let holdout = Array(labelled.suffix(holdoutCount))
        let builder = TrainingDataBuilder(model: model)
        let metric = policy.metric
        let trained = try await trainAndEvaluate(
            builder, training: training, holdout: holdout, options: Self.options(policy, task: model.task),
            championArtifact: champion?.artifactJSON)
        guard let challengerScore = trained.challengerEvaluation.value(of: metric) else {
            throw JobFailure(code: .noMetric, message: "the challenger has no \(metric) on the held-out rows")
        }
        // The champion's score from its artifact, else from its logged predictions (a model served elsewhere).
        let championScore: Double? =
            champion == nil
            ? nil
            : (trained.championEvaluation?.value(of: metric)
                ?? (champion?.artifactJSON == nil ? builder.loggedScore(holdout, metric: metric) : nil))
        let (promote, why) = Self.verdict(
            challenger: challengerScore, champion: championScore, hasChampion: champion != nil, policy: policy,
            problem: trained.championProblem)
        let artifact = try trained.challenger.artifactJSON()
        let result = RetrainResult(
            verdict: (promote, why), metric: metric, scores: (championScore, challengerScore),
            champion: (
                champion?.version,
                trained.championEvaluation != nil ? "artifact" : (championScore != nil ? "logged_predictions" : nil),
                trained.championEvaluation.map(Self.evaluationJSON)
            ),
            challenger: (trained.challenger.kind.rawValue, Self.evaluationJSON(trained.challengerEvaluation)),
            rows: (training.count, holdout.count),
            trained: (training.first?.eventTime ?? 0, training.last?.eventTime ?? 0),
            seconds: (loadSeconds, trained.seconds))
        return Decision(
            promote: promote, artifactJSON: String(decoding: artifact, as: UTF8.self),
            evaluationJSON: result.challenger.evaluationJSON, trainedFrom: result.trained.from,
            trainedTo: result.trained.to, result: { version in result.json(version: version) })
    }

    /// The labelled predictions of the training window (ending at the newest labelled one) and the champion.
    func load(
        _ policy: RetrainPolicy, modelID: Int64
    ) async throws
        -> ([LabelledPredictionScan.Row], ModelVersionStore.Version?)
    {
        try await environment.pool.withConnection(purpose: "load training data") {
            connection -> ([LabelledPredictionScan.Row], ModelVersionStore.Version?) in
            guard let newest = try LabelledPredictionScan.newestEventTime(modelID: modelID, on: connection) else {
                return ([], nil)
            }
            let from = newest - Int64(policy.trainingWindowSeconds) * 1_000_000
            let rows = try LabelledPredictionScan.rows(
                modelID: modelID, from: from, to: newest, limit: policy.maxRows, on: connection)
            return (rows, try ModelVersionStore.champion(modelID: modelID, on: connection))
        }
    }

    /// What training and scoring on the held-out rows gave.
    struct Trained: Sendable {
        var challenger: TrainedModel
        var challengerEvaluation: Evaluation
        var championEvaluation: Evaluation?
        /// Why the champion's artifact could not be scored, if it could not.
        var championProblem: String?
        var seconds: Double
    }

    /// Trains the challenger on `training` and scores it, and the champion's artifact when there is one, on
    /// `holdout` (blocking work, off the cooperative pool).
    func trainAndEvaluate(
        _ builder: TrainingDataBuilder, training: [LabelledPredictionScan.Row],
        holdout: [LabelledPredictionScan.Row], options: TrainingOptions, championArtifact: String?
    ) async throws -> Trained {
        let trained = try await BlockingExecutor.shared.run {
            () throws -> Trained in
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
            return Trained(
                challenger: challenger, challengerEvaluation: challengerEvaluation,
                championEvaluation: championEvaluation, championProblem: championProblem,
                seconds: monotonicSeconds() - trainStarted)
        }
        return trained
    }

    /// Promote or keep, and why: with no champion the challenger is promoted; else it must be better by
    /// the policy's margin on the policy's metric.
    static func verdict(
        challenger: Double, champion: Double?, hasChampion: Bool, policy: RetrainPolicy, problem: String?
    ) -> (promote: Bool, why: String) {
        guard hasChampion else { return (true, "no champion yet") }
        let higher = policy.metric.higherIsBetter
        guard let improvement = champion.map({ higher ? challenger - $0 : $0 - challenger }) else {
            return (false, problem ?? "the champion's \(policy.metric) could not be computed on the held-out rows")
        }
        let promote = improvement > 0 && improvement >= policy.margin
        return (
            promote,
            promote
                ? "challenger better by \(format(improvement)) (margin \(format(policy.margin)))"
                : "challenger not better by the margin \(format(policy.margin)) (difference \(format(improvement)))"
        )
    }

    static func options(_ policy: RetrainPolicy, task: ModelTask) -> TrainingOptions {
        var options = TrainingOptions(task: task)
        options.kind = policy.modelKind
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
