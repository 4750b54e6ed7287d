import DriftCore
import DriftTrainer

/// The demo model's first champion: the built-in trainer's MLP fitted on the reference period with its labels
/// (80 % of the rows; the other 20 %, seeded, score it), uploaded as version 1 and promoted.
///
/// Its settings are fixed (two hidden layers of 32 and 16, Adam at 0.01, L2 1, early stopping on a validation
/// split): the grid search picks these on this data, and fixing them keeps the demo's start to seconds.
enum DemoChampion {
    struct Trained: Sendable {
        let artifactJSON: [UInt8]
        let evaluation: Evaluation
        let trainingRows: Int
    }

    static func train(_ set: TrainingSet, period: ClosedRange<Int64>?, task: ModelTask) throws -> Trained {
        let (trainRows, testRows) = set.holdOut(testFraction: 0.2, seed: 0)
        var options = TrainingOptions(task: task)
        options.kind = .mlp
        options.seed = 0
        options.threads = 1
        options.hyperparameters = Hyperparameters(
            learningRate: 0.01, l2: 1, hiddenLayers: [32, 16], epochs: 80, batchSize: 256)
        var model = try Trainer.train(set.rows(trainRows), options: options)
        model.training.trainedFrom = period?.lowerBound
        model.training.trainedTo = period?.upperBound
        let evaluation = try model.evaluate(set.rows(testRows))
        return Trained(artifactJSON: try model.artifactJSON(), evaluation: evaluation, trainingRows: trainRows.count)
    }
}
