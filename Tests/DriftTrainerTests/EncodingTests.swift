import DriftCore
import DriftStats
import Testing

@testable import DriftTrainer

/// Feature encoding: standardisation, one-hot with `other` and `missing` slots, imputation.
@Suite struct EncodingTests {
    static func trainingSet() throws -> TrainingSet {
        try TrainingSet(
            numeric: [
                .init(name: "x", values: [1, 2, 3, .nan]),
                .init(name: "constant", values: [5, 5, 5, 5]),
            ],
            categorical: [.init(name: "colour", values: ["red", "blue", "red", nil])],
            target: .classes(["a", "b", "a", "b"]))
    }

    @Test func numericColumnsAreStandardisedWithTheirTrainingStatistics() throws {
        let encoding = FeatureEncoding(learningFrom: try Self.trainingSet())
        #expect(encoding.numeric[0].mean == 2)
        #expect(abs(encoding.numeric[0].scale - (2.0 / 3).squareRoot()) < 1e-15)  // population std of 1, 2, 3
        #expect(encoding.numeric[1].scale == 1)  // constant column
    }

    @Test func aCategoricalColumnGetsASlotPerCategoryPlusOtherPlusMissing() throws {
        let encoding = FeatureEncoding(learningFrom: try Self.trainingSet())
        #expect(encoding.categorical[0].categories == ["blue", "red"])
        #expect(encoding.width == 2 + 4)  // blue, red, other, missing
    }

    @Test func featureNamesFollowTheColumns() throws {
        let encoding = FeatureEncoding(learningFrom: try Self.trainingSet())
        #expect(encoding.featureNames == ["x", "constant", "colour"])
    }

    /// Two rows encoded (slots: x, constant, blue, red, other, missing): x missing and an unseen "green",
    /// then an infinite constant and a missing colour.
    static func encodedAwkwardRows() throws -> [Double] {
        let encoding = FeatureEncoding(learningFrom: try Self.trainingSet())
        let rows = try TrainingSet(
            numeric: [.init(name: "x", values: [.nan, 2]), .init(name: "constant", values: [5, .infinity])],
            categorical: [.init(name: "colour", values: ["green", nil])], target: nil)
        return Array(try encoding.encode(rows))
    }

    @Test func missingNumbersAreImputedWithTheTrainingMean() throws {
        let x = try Self.encodedAwkwardRows()
        #expect(x[0] == 0)  // NaN → the training mean → 0
        #expect(x[7] == 0)  // ∞ is missing too
    }

    @Test func anUnseenCategoryMapsToTheOtherSlot() throws {
        #expect(Array(try Self.encodedAwkwardRows()[2..<6]) == [0, 0, 1, 0])
    }

    @Test func aMissingCategoryMapsToTheMissingSlot() throws {
        #expect(Array(try Self.encodedAwkwardRows()[8..<12]) == [0, 0, 0, 1])
    }

    @Test func unseenCategoryPredictsLikeOther() throws {
        var rng = SplitMix64(seed: 1)
        let n = 300
        let colours = (0..<n).map { _ in ["red", "blue", "green"][Int(rng.next() % 3)] }
        let labels = colours.map { $0 == "red" ? "yes" : "no" }
        let data = try TrainingSet(
            numeric: [], categorical: [.init(name: "colour", values: colours)], target: .classes(labels))
        let model = try Trainer.train(data, options: TrainingOptions(task: .binary))
        let query = try TrainingSet(
            numeric: [], categorical: [.init(name: "colour", values: ["red", "purple", "orange", nil])], target: nil)
        let predictions = try model.predict(query)
        #expect(predictions[0].label == "yes")
        // Two different unseen categories share the `other` slot: identical scores.
        #expect(predictions[1].scores == predictions[2].scores)
        #expect(predictions[1].scores != predictions[0].scores)
    }

    @Test func missingNumericPredictsLikeTheTrainingMean() throws {
        var rng = SplitMix64(seed: 2)
        let x = (0..<200).map { _ in rng.nextGaussian() * 3 + 10 }
        let labels = x.map { $0 + rng.nextGaussian() > 10 ? "1" : "0" }
        let data = try TrainingSet(numeric: [.init(name: "x", values: x)], categorical: [], target: .classes(labels))
        let model = try Trainer.train(data, options: TrainingOptions(task: .binary))
        let mean = x.reduce(0, +) / Double(x.count)
        let query = try TrainingSet(numeric: [.init(name: "x", values: [.nan, mean])], categorical: [], target: nil)
        let predictions = try model.predict(query)
        #expect(abs(predictions[0].scores[1] - predictions[1].scores[1]) < 1e-12)
    }

    @Test func missingColumnIsNamed() throws {
        let model = try Trainer.train(try Self.trainingSet(), options: Self.quick(.binary))
        let query = try TrainingSet(
            numeric: [.init(name: "x", values: [1])], categorical: [.init(name: "colour", values: ["red"])],
            target: nil)
        let error = try #require(Support.trainerError { _ = try model.predict(query) })
        #expect(error.code == .missingColumn)
        #expect(error.column == "constant")
        #expect(error.description.contains("column 'constant'"))
    }

    @Test func numericFeatureGivenAsTextIsAnError() throws {
        let model = try Trainer.train(try Self.trainingSet(), options: Self.quick(.binary))
        let query = try TrainingSet(
            numeric: [.init(name: "constant", values: [1])],
            categorical: [.init(name: "x", values: ["a"]), .init(name: "colour", values: ["red"])], target: nil)
        let error = try #require(Support.trainerError { _ = try model.predict(query) })
        #expect(error.code == .invalidData)
        #expect(error.column == "x")
    }

    static func quick(_ task: ModelTask) -> TrainingOptions {
        var options = TrainingOptions(task: task)
        options.validationFraction = 0
        options.hyperparameters = Hyperparameters(learningRate: 0.05, l2: 1, epochs: 20, batchSize: 4)
        return options
    }
}
