import DriftCore
import DriftStats
import Foundation

/// A trained model: its encoding, weights, settings and training record. Serialised as the versioned JSON
/// artifact (`artifactJSON()`, `decode(artifact:)`; fields documented in the README, "Built-in trainer").
package struct TrainedModel: Sendable, Codable {
    /// The artifact format version (`DriftTrainer.artifactFormatVersion`).
    package let formatVersion: Int
    /// The model family.
    package let kind: ModelKind
    /// Binary, multiclass or regression.
    package let task: ModelTask
    /// Class labels in score order (`LabelOrder`, as `DriftStats` sorts labels: numerically when every label is
    /// a number, else by code points); for binary models `classes[1]` is the positive class. Empty for regression.
    package let classes: [String]
    /// Input feature names, in input order: numeric features, then categorical ones.
    package let features: [String]
    /// The settings of the final fit (`epochs`: the epochs it ran).
    package let hyperparameters: Hyperparameters
    /// The seed the model was trained with.
    package let seed: UInt64
    /// The training record.
    package var training: TrainingSummary
    /// The learned feature encoding.
    let encoding: FeatureEncoding

    /// The numeric features (standardised, missing values imputed with the training mean), in input order.
    package var numericFeatures: [String] { encoding.numeric.map(\.name) }
    /// The categorical features (one-hot over the training categories + `other` + `missing`), in input order.
    package var categoricalFeatures: [String] { encoding.categorical.map(\.name) }
    /// Regression only: the target was standardised for training, `y = mean + scale · output`.
    let target: TargetScaling?
    /// The weights.
    let network: Network

    init(
        kind: ModelKind, task: ModelTask, classes: [String], hyperparameters: Hyperparameters, seed: UInt64,
        training: TrainingSummary, encoding: FeatureEncoding, target: TargetScaling?, network: Network
    ) {
        formatVersion = DriftTrainer.artifactFormatVersion
        self.kind = kind
        self.task = task
        self.classes = classes
        features = encoding.featureNames
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.training = training
        self.encoding = encoding
        self.target = target
        self.network = network
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case kind, task, classes, features, hyperparameters, seed, training, encoding, target, network
    }

    /// Decodes and checks the artifact: version, then that the encoding, classes and weights fit together.
    /// Throws `TrainerError` for an unsupported version or an inconsistent artifact.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        guard formatVersion == DriftTrainer.artifactFormatVersion else {
            throw TrainerError.unsupportedVersion(formatVersion)
        }
        kind = try container.decode(ModelKind.self, forKey: .kind)
        task = try container.decode(ModelTask.self, forKey: .task)
        classes = try container.decode([String].self, forKey: .classes)
        features = try container.decode([String].self, forKey: .features)
        hyperparameters = try container.decode(Hyperparameters.self, forKey: .hyperparameters)
        seed = try container.decode(UInt64.self, forKey: .seed)
        training = try container.decode(TrainingSummary.self, forKey: .training)
        encoding = try container.decode(FeatureEncoding.self, forKey: .encoding)
        target = try container.decodeIfPresent(TargetScaling.self, forKey: .target)
        network = try container.decode(Network.self, forKey: .network)
        try validate()
    }

    /// Checks that the parts fit together (so prediction cannot index out of bounds).
    func validate() throws(TrainerError) {
        try encoding.validate()
        guard features.map(ExactString.init) == encoding.featureNames.map(ExactString.init) else {
            throw .malformedArtifact("'features' must list the encoding's numeric then categorical feature names")
        }
        guard network.sizes[0] == encoding.width else {
            throw .malformedArtifact(
                "the network takes \(network.sizes[0]) inputs but the encoding yields \(encoding.width)")
        }
        let hidden = network.sizes.count - 2
        switch kind {
        case .logistic, .softmax, .ridge:
            guard hidden == 0 else { throw .malformedArtifact("a \(kind.rawValue) model has no hidden layer") }
        case .mlp:
            guard hidden >= 1 else { throw .malformedArtifact("an mlp model needs 1 or 2 hidden layers") }
        }
        guard Set(classes.map(ExactString.init)).count == classes.count else {
            throw .malformedArtifact("'classes' lists a class twice")
        }
        switch task {
        case .binary, .multiclass:
            guard classes.count >= 2, task == .multiclass || classes.count == 2 else {
                throw .malformedArtifact("a \(task.rawValue) model has \(classes.count) classes")
            }
            let fits =
                network.output == .sigmoid
                ? classes.count == 2 && network.outputs == 1 && kind != .softmax
                : network.output == .softmax && network.outputs == classes.count && kind != .logistic
            guard fits, kind != .ridge else {
                throw .malformedArtifact(
                    "a \(kind.rawValue) model for \(classes.count) classes cannot have \(network.outputs) "
                        + "\(network.output.rawValue) outputs")
            }
        case .regression:
            guard classes.isEmpty, network.output == .identity, network.outputs == 1, kind == .mlp || kind == .ridge
            else { throw .malformedArtifact("a regression model needs one linear output and no classes") }
            guard let target, target.mean.isFinite, target.scale.isFinite, target.scale > 0 else {
                throw .malformedArtifact("a regression model needs 'target' with a finite mean and positive scale")
            }
        }
    }

    /// Predictions for every row of `data` (its target, if any, is ignored). Feature columns are looked up by
    /// name (extra columns are ignored); a missing one throws `missing_column` naming it.
    /// Classification: `label` is the class of highest probability (binary: `classes[1]` when its probability
    /// exceeds 0.5, as scikit-learn's decision function > 0), `scores` the probabilities in `classes` order.
    /// Regression: `value`, and `scores` empty.
    package func predict(_ data: TrainingSet) throws(TrainerError) -> [Prediction] {
        let n = data.rowCount
        let x = try encoding.encode(data)
        let outputs = network.outputs(for: x, rows: n)
        switch network.output {
        case .identity:
            let mean = target?.mean ?? 0
            let scale = target?.scale ?? 1
            return (0..<n).map { Prediction(label: nil, value: mean + scale * outputs[$0], scores: []) }
        case .sigmoid:
            return (0..<n).map { r in
                let p = outputs[r]
                return Prediction(label: p > 0.5 ? classes[1] : classes[0], value: nil, scores: [1 - p, p])
            }
        case .softmax:
            let k = network.outputs
            return (0..<n).map { r in
                let scores = Array(outputs[(r * k)..<(r * k + k)])
                var best = 0
                for j in 1..<k where scores[j] > scores[best] { best = j }
                return Prediction(label: classes[best], value: nil, scores: scores)
            }
        }
    }

    /// Held-out metrics of the model on `data`, which needs a target (see `Evaluation`).
    package func evaluate(_ data: TrainingSet) throws(TrainerError) -> Evaluation {
        guard let truth = data.target else {
            throw .invalidData("evaluation needs the true labels or values (the set has no target)")
        }
        return try Evaluation(model: self, predictions: predict(data), truth: truth)
    }

    /// The artifact: pretty-printed JSON with keys sorted (so the same model gives the same bytes), numbers
    /// shortest round-trip (decoding restores every weight exactly), a final newline.
    package func artifactJSON() throws(TrainerError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self)) + [0x0A]
        } catch {
            throw TrainerError(
                code: .encodingFailed, message: "the model could not be written: \(error)", underlying: error)
        }
    }

    /// Reads an artifact written by `artifactJSON()`. Throws `unsupported_version` for another
    /// `format_version` and `malformed_artifact` (naming the field) for anything else wrong.
    package static func decode(artifact: [UInt8]) throws(TrainerError) -> TrainedModel {
        let data = Data(artifact)
        do {
            let probe = try JSONDecoder().decode(VersionProbe.self, from: data)
            guard let version = probe.formatVersion else {
                throw TrainerError.malformedArtifact("no 'format_version' (is this a Driftwatch model artifact?)")
            }
            guard version == DriftTrainer.artifactFormatVersion else { throw TrainerError.unsupportedVersion(version) }
            return try JSONDecoder().decode(TrainedModel.self, from: data)
        } catch let error as TrainerError {
            throw error
        } catch let error as DecodingError {
            throw .malformedArtifact(Self.describe(error))
        } catch {
            throw .malformedArtifact("\(error)")
        }
    }

    private struct VersionProbe: Decodable {
        let formatVersion: Int?
        enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
    }

    /// A short, data-free description of a decoding error: the field path and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let parts = keys.map { key in key.intValue.map { "[\($0)]" } ?? "." + key.stringValue }
            let joined = parts.joined()
            return joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let place = path(context.codingPath + [key])
            return "missing field '\(place)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context.codingPath))': \(context.debugDescription)"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Regression target standardisation learned from the training rows (`y' = (y − mean) / scale`).
struct TargetScaling: Sendable, Codable, Equatable {
    var mean: Double
    var scale: Double
}

extension TrainerError {
    /// An artifact of another format version.
    static func unsupportedVersion(_ version: Int) -> TrainerError {
        TrainerError(
            code: .unsupportedVersion,
            message:
                "unsupported model artifact format_version \(version): this build of driftwatch reads version "
                + "\(DriftTrainer.artifactFormatVersion) (retrain the model, or use a matching driftwatch)")
    }
}
