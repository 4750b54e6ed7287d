import DriftCore
import Testing

@testable import DriftTrainer

/// Held-out accuracy on two UCI data sets against scikit-learn's (Fixtures/README.md): rows with
/// `row % 10 < 7` train, the rest test; the trainer must come within 1.5 points of scikit-learn's
/// `StandardScaler + LogisticRegression(C=1)`.
@Suite struct UCIAccuracyTests {
    static let tolerance = 0.015

    @Test func logisticRegressionOnBreastCancer() throws {
        let data = try TrainingSet(table: Support.table("breast_cancer.csv"), label: "target", task: .binary)
        let (train, test) = Support.uciSplit(data)
        #expect(train.rowCount == 399 && test.rowCount == 170)
        let model = try Trainer.train(train, options: TrainingOptions(task: .binary))
        #expect(model.kind == .logistic)
        let evaluation = try model.evaluate(test)
        print(
            "breast_cancer accuracy", evaluation.accuracy ?? -1, model.hyperparameters,
            model.training.trials.map {
                ($0.hyperparameters.learningRate, $0.hyperparameters.l2, $0.score ?? -1, $0.bestEpoch ?? -1)
            })
        #expect(try #require(evaluation.accuracy) >= 0.98235 - Self.tolerance)
    }

    @Test func softmaxRegressionOnWine() throws {
        let data = try TrainingSet(table: Support.table("wine.csv"), label: "target", task: .multiclass)
        let (train, test) = Support.uciSplit(data)
        #expect(train.rowCount == 126 && test.rowCount == 52)
        let model = try Trainer.train(train, options: TrainingOptions(task: .multiclass))
        #expect(model.kind == .softmax)
        #expect(model.classes == ["0", "1", "2"])
        let evaluation = try model.evaluate(test)
        print(
            "wine accuracy", evaluation.accuracy ?? -1, model.hyperparameters,
            model.training.trials.map {
                ($0.hyperparameters.learningRate, $0.hyperparameters.l2, $0.score ?? -1, $0.bestEpoch ?? -1)
            })
        #expect(try #require(evaluation.accuracy) >= 0.98077 - Self.tolerance)
    }

    /// With scikit-learn's objective (l2 = 1/C = 1, no early stopping, enough epochs to converge) the
    /// trainer lands on scikit-learn's held-out accuracy.
    @Test(arguments: [("breast_cancer.csv", ModelTask.binary, 0.98235), ("wine.csv", .multiclass, 0.98077)])
    func scikitLearnObjective(file: String, task: ModelTask, reference: Double) throws {
        let data = try TrainingSet(table: Support.table(file), label: "target", task: task)
        let (train, test) = Support.uciSplit(data)
        var options = TrainingOptions(task: task)
        options.validationFraction = 0
        options.hyperparameters = Hyperparameters(learningRate: 0.01, l2: 1, epochs: 300, batchSize: 32)
        let model = try Trainer.train(train, options: options)
        let accuracy = try #require(try model.evaluate(test).accuracy)
        #expect(accuracy >= reference - Self.tolerance)
    }
}
