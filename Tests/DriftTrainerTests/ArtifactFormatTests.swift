import DriftCore
import DriftStats
import DriftTables
import Foundation
import Testing

@testable import DriftTrainer

/// The versioned JSON artifact: round trip, determinism, rejection of other versions and malformed files.
@Suite struct ArtifactFormatTests {
    @Test func formatVersionIsOne() { #expect(DriftTrainer.artifactFormatVersion == 1) }

    /// A seeded mixed numeric/categorical set with a binary, multiclass or numeric target.
    static func mixedSet(task: ModelTask, rows n: Int = 240, seed: UInt64 = 11) throws -> TrainingSet {
        var rng = SplitMix64(seed: seed)
        var a = [Double]()
        var b = [Double]()
        var c = [String?]()
        var labels = [String]()
        var values = [Double]()
        for i in 0..<n {
            let x = rng.nextGaussian()
            let y = rng.nextGaussian()
            let colour = ["red", "green", "blue"][Int(rng.next() % 3)]
            a.append(i % 17 == 0 ? .nan : x)
            b.append(y)
            c.append(i % 13 == 0 ? nil : colour)
            let s = x - 0.5 * y + (colour == "red" ? 1 : 0) + 0.3 * rng.nextGaussian()
            labels.append(task == .binary ? (s > 0.3 ? "yes" : "no") : (s < -0.5 ? "low" : s < 0.8 ? "mid" : "high"))
            values.append(2 * s + 1)
        }
        return try TrainingSet(
            numeric: [.init(name: "a", values: a), .init(name: "b", values: b)],
            categorical: [.init(name: "colour", values: c)],
            target: task == .regression ? .values(values) : .classes(labels))
    }

    static let kinds: [(ModelKind, ModelTask)] = [
        (.logistic, .binary), (.softmax, .multiclass), (.mlp, .binary), (.mlp, .multiclass), (.mlp, .regression),
        (.ridge, .regression),
    ]

    static func options(_ kind: ModelKind, _ task: ModelTask, seed: UInt64 = 0) -> TrainingOptions {
        var options = TrainingOptions(task: task)
        options.kind = kind
        options.seed = seed
        options.search = .none
        options.maxEpochs = 30
        return options
    }

    @Test(arguments: kinds) func roundTripGivesIdenticalPredictions(kind: ModelKind, task: ModelTask) throws {
        let data = try Self.mixedSet(task: task)
        let model = try Trainer.train(data, options: Self.options(kind, task))
        let artifact = try model.artifactJSON()
        let decoded = try TrainedModel.decode(artifact: artifact)
        #expect(try decoded.predict(data) == model.predict(data))
        #expect(try decoded.artifactJSON() == artifact)
        #expect(decoded.kind == kind && decoded.task == task && decoded.features == ["a", "b", "colour"])
    }

    @Test(arguments: kinds) func sameSeedGivesByteIdenticalArtifact(kind: ModelKind, task: ModelTask) throws {
        let data = try Self.mixedSet(task: task)
        var options = Self.options(kind, task, seed: 99)
        options.search = .grid
        let first = try Trainer.train(data, options: options).artifactJSON()
        let second = try Trainer.train(data, options: options).artifactJSON()
        #expect(first == second)
        if kind != .ridge {
            options.seed = 100
            #expect(try Trainer.train(data, options: options).artifactJSON() != first)
        }
    }

    @Test func documentedTopLevelFields() throws {
        let model = try Trainer.train(Self.mixedSet(task: .binary), options: Self.options(.logistic, .binary))
        let json = try JSONValue.parse(String(decoding: model.artifactJSON(), as: UTF8.self))
        #expect(
            try #require(json.memberNames) == [
                "classes", "encoding", "features", "format_version", "hyperparameters", "kind", "network", "seed",
                "task", "training",
            ])
        #expect(json["format_version"] == .number(1))
        #expect(json["classes"] == .array([.string("no"), .string("yes")]))
    }

    @Test func otherVersionIsRejectedClearly() throws {
        let model = try Trainer.train(Self.mixedSet(task: .binary), options: Self.options(.logistic, .binary))
        let text = String(decoding: try model.artifactJSON(), as: UTF8.self)
            .replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 2")
        let error = try #require(Support.trainerError { _ = try TrainedModel.decode(artifact: Array(text.utf8)) })
        #expect(error.code == .unsupportedVersion)
        #expect(error.message.contains("format_version 2"))
        #expect(error.message.contains("reads version 1"))
    }

    @Test func malformedArtifactsAreRejectedNamingTheProblem() throws {
        let model = try Trainer.train(Self.mixedSet(task: .binary), options: Self.options(.logistic, .binary))
        let text = String(decoding: try model.artifactJSON(), as: UTF8.self)
        let cases: [(String, String)] = [
            ("{", "not valid JSON"),
            ("[1, 2]", "malformed"),
            ("{\"kind\": \"logistic\"}", "format_version"),
            (text.replacingOccurrences(of: "\"kind\" : \"logistic\"", with: "\"kind\" : \"forest\""), "kind"),
            (text.replacingOccurrences(of: "\"task\" : \"binary\",", with: ""), "task"),
            (text.replacingOccurrences(of: "\"classes\" : [\n    \"no\",", with: "\"classes\" : ["), "classes"),
            (text.replacingOccurrences(of: "\"name\" : \"colour\"", with: "\"name\" : \"a\""), "twice"),
        ]
        for (artifact, expected) in cases {
            let error = try #require(
                Support.trainerError { _ = try TrainedModel.decode(artifact: Array(artifact.utf8)) })
            #expect(error.code == .malformedArtifact, "\(error)")
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func weightsOfTheWrongShapeAreRejected() throws {
        let model = try Trainer.train(Self.mixedSet(task: .binary), options: Self.options(.logistic, .binary))
        let text = String(decoding: try model.artifactJSON(), as: UTF8.self)
        let shrunk = text.replacingOccurrences(of: "\"inputs\" : 7", with: "\"inputs\" : 6")
        #expect(shrunk != text)
        let error = try #require(Support.trainerError { _ = try TrainedModel.decode(artifact: Array(shrunk.utf8)) })
        #expect(error.code == .malformedArtifact)
    }

    @Test func trainingRecordIsStored() throws {
        var options = Self.options(.logistic, .binary)
        options.search = .grid
        var model = try Trainer.train(Self.mixedSet(task: .binary), options: options)
        model.training.trainedFrom = 1_700_000_000_000_000
        model.training.trainedTo = 1_700_086_400_000_000
        let decoded = try TrainedModel.decode(artifact: model.artifactJSON())
        #expect(decoded.training == model.training)
        #expect(decoded.training.trials.count == 6)
        #expect(decoded.training.validation == "holdout")
        #expect(decoded.training.validationRows == 48)
        #expect(decoded.training.scoreMetric == "log_loss")
        #expect(decoded.hyperparameters.epochs == decoded.training.epochsRun)
        #expect(decoded.training.trials.contains { $0.score == decoded.training.validationScore })
    }
}

extension JSONValue {
    /// The member names of an object, in order (nil for any other value).
    fileprivate var memberNames: [String]? {
        if case .object(let members) = self { return members.map(\.0) }
        return nil
    }
}
