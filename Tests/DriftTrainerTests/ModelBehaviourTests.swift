import DriftCore
import DriftStats
import Testing

@testable import DriftTrainer

/// What each model must be able to learn, on seeded synthetic data.
@Suite struct ModelBehaviourTests {
    @Test func balancedClassWeightsChangeTheDecision() throws {
        // 5% positives whose feature overlaps the negatives': unweighted, the model rarely predicts the
        // minority; balanced weights (n / (k · n_c)) move the threshold towards it.
        var rng = SplitMix64(seed: 21)
        var x = [Double]()
        var labels = [String]()
        for i in 0..<2000 {
            let positive = i % 20 == 0
            x.append(rng.nextGaussian() + (positive ? 1.5 : 0))
            labels.append(positive ? "1" : "0")  // "1", the positive class, is the rare one
        }
        let data = try TrainingSet(numeric: [.init(name: "x", values: x)], categorical: [], target: .classes(labels))
        var options = TrainingOptions(task: .binary)
        let plain = try Trainer.train(data, options: options)
        options.classWeighting = .balanced
        let weighted = try Trainer.train(data, options: options)
        let expectedWeights: [Double] = [2000.0 / 3800, 10]
        #expect(weighted.training.classWeights == expectedWeights)
        let plainEval = try plain.evaluate(data)
        let weightedEval = try weighted.evaluate(data)
        let changed = zip(try plain.predict(data), try weighted.predict(data)).filter { $0.label != $1.label }.count
        #expect(changed > 100)
        #expect(try #require(weightedEval.recall) > 0.7)
        #expect(try #require(plainEval.recall) < 0.2)
    }

    @Test func ridgeRecoversCoefficients() throws {
        var rng = SplitMix64(seed: 5)
        let n = 2000
        let columns = Support.gaussianColumns(rows: n, features: 3, rng: &rng)
        let truth = [3.0, -2.0, 0.5]
        let y = (0..<n).map { r in
            1 + (0..<3).reduce(0.0) { $0 + truth[$1] * columns[$1].values[r] } + 0.01 * rng.nextGaussian()
        }
        let data = try TrainingSet(numeric: columns, categorical: [], target: .values(y))
        var options = TrainingOptions(task: .regression)
        options.hyperparameters = Hyperparameters(learningRate: 0, l2: 1e-6, epochs: 0, batchSize: 0)
        let model = try Trainer.train(data, options: options)
        #expect(model.kind == .ridge)
        // Coefficients read back through predictions: f(e_j) − f(0).
        let probe = try TrainingSet(
            numeric: (0..<3).map { j in .init(name: "x\(j)", values: (0...3).map { $0 == j + 1 ? 1 : 0 }) },
            categorical: [], target: nil)
        let values = try model.predict(probe).map { $0.value ?? .nan }
        #expect(abs(values[0] - 1) < 1e-3)
        for j in 0..<3 { #expect(abs(values[j + 1] - values[0] - truth[j]) < 1e-3) }
        let evaluation = try model.evaluate(data)
        #expect(try #require(evaluation.r2) > 0.9999)
        #expect(try #require(evaluation.rmse) < 0.011)
    }

    @Test func ridgePenaltyShrinksLikeScikitLearnRidge() throws {
        // One standardised feature, y = x exactly: the ridge slope (on standardised x and y) is
        // Σx² / (Σx² + λ) = n / (n + λ).
        let x = [-1.5, -0.5, 0.5, 1.5]
        let data = try TrainingSet(numeric: [.init(name: "x", values: x)], categorical: [], target: .values(x))
        var options = TrainingOptions(task: .regression)
        options.validationFraction = 0
        options.hyperparameters = Hyperparameters(learningRate: 0, l2: 4, epochs: 0, batchSize: 0)
        let model = try Trainer.train(data, options: options)
        let probe = try TrainingSet(numeric: [.init(name: "x", values: [0, 1.5])], categorical: [], target: nil)
        let values = try model.predict(probe).map { $0.value ?? .nan }
        #expect(abs((values[1] - values[0]) / 1.5 - 4.0 / 8.0) < 1e-12)
    }

    /// XOR-like data: the label is the sign of x·y, which no linear model separates.
    static func xor(rows n: Int, seed: UInt64) throws -> TrainingSet {
        var rng = SplitMix64(seed: seed)
        let x = (0..<n).map { _ in 2 * rng.nextUniform() - 1 }
        let y = (0..<n).map { _ in 2 * rng.nextUniform() - 1 }
        return try TrainingSet(
            numeric: [.init(name: "x", values: x), .init(name: "y", values: y)], categorical: [],
            target: .classes(zip(x, y).map { $0 * $1 > 0 ? "same" : "different" }))
    }

    @Test func mlpLearnsXORThatLogisticCannot() throws {
        let train = try Self.xor(rows: 1000, seed: 1)
        let test = try Self.xor(rows: 500, seed: 2)
        let logistic = try Trainer.train(train, options: TrainingOptions(task: .binary))
        var options = TrainingOptions(task: .binary)
        options.kind = .mlp
        let mlp = try Trainer.train(train, options: options)
        let linearAccuracy = try #require(try logistic.evaluate(test).accuracy)
        let mlpAccuracy = try #require(try mlp.evaluate(test).accuracy)
        #expect(linearAccuracy < 0.65)
        #expect(mlpAccuracy > 0.9)
        #expect(mlp.hyperparameters.hiddenLayers.count >= 1)
    }

    @Test func mlpRegressionFitsANonlinearFunction() throws {
        var rng = SplitMix64(seed: 8)
        let x = (0..<1500).map { _ in 4 * rng.nextUniform() - 2 }
        let y = x.map { $0 * $0 + 0.05 * rng.nextGaussian() }
        let data = try TrainingSet(numeric: [.init(name: "x", values: x)], categorical: [], target: .values(y))
        let (trainRows, testRows) = data.holdOut(testFraction: 0.3, seed: 1)
        var options = TrainingOptions(task: .regression)
        options.kind = .mlp
        options.search = .none
        let model = try Trainer.train(data.rows(trainRows), options: options)
        let ridge = try Trainer.train(data.rows(trainRows), options: TrainingOptions(task: .regression))
        #expect(try #require(try model.evaluate(data.rows(testRows)).r2) > 0.95)
        #expect(try #require(try ridge.evaluate(data.rows(testRows)).r2) < 0.1)
    }

    @Test func aKFoldRandomSearchIsRecordedInTheModel() throws {
        let data = try ArtifactFormatTests.mixedSet(task: .multiclass)
        var options = TrainingOptions(task: .multiclass)
        options.folds = 3
        options.search = .random(trials: 4)
        options.seed = 3
        options.maxEpochs = 40
        let model = try Trainer.train(data, options: options)
        #expect(model.training.validation == "kfold")
        #expect(model.training.folds == 3)
        #expect(model.training.trials.count == 4)
        #expect(model.training.search == .random(trials: 4))
        #expect(model.training.trials.allSatisfy { $0.score != nil && $0.hyperparameters.epochs <= 40 })
        let best = model.training.trials.compactMap(\.score).min()
        #expect(model.training.validationScore == best)
        #expect(try #require(try model.evaluate(data).accuracy) > 0.7)
    }

    @Test func evaluationMatchesDriftStats() throws {
        let data = try ArtifactFormatTests.mixedSet(task: .binary)
        let model = try Trainer.train(data, options: TrainingOptions(task: .binary))
        let predictions = try model.predict(data)
        let truth = try #require(classLabels(data.target))
        let evaluation = try model.evaluate(data)
        let report = try ClassificationReport(truth: truth, predicted: predictions.map { $0.label ?? "" })
        #expect(evaluation.accuracy == report.accuracy)
        #expect(evaluation.f1 == report.metrics(for: "yes")?.f1)
        #expect(
            evaluation.rocAUC
                == (try ROCAUC.binary(truth: truth, scores: predictions.map { $0.scores[1] }, positiveLabel: "yes")))
        #expect(
            evaluation.logLoss
                == (try LogLoss.binary(
                    truth: truth, positiveScores: predictions.map { $0.scores[1] }, positiveLabel: "yes")))
        #expect(evaluation.value(of: .logLoss) == evaluation.logLoss)
        #expect(evaluation.value(of: .r2) == nil)
        #expect(EvaluationMetric.f1.higherIsBetter && !EvaluationMetric.logLoss.higherIsBetter)
        #expect(predictions.allSatisfy { abs($0.scores.reduce(0, +) - 1) < 1e-12 })
    }

    @Test func multiclassEvaluationUsesMacroAverages() throws {
        let data = try ArtifactFormatTests.mixedSet(task: .multiclass)
        let model = try Trainer.train(data, options: TrainingOptions(task: .multiclass))
        #expect(model.classes == ["high", "low", "mid"])
        let predictions = try model.predict(data)
        let truth = try #require(classLabels(data.target))
        let evaluation = try model.evaluate(data)
        let report = try ClassificationReport(truth: truth, predicted: predictions.map { $0.label ?? "" })
        #expect(evaluation.precision == report.macroAverage.precision)
        #expect(evaluation.f1 == report.macroAverage.f1)
        var columns = [String: [Double]]()
        for (k, label) in model.classes.enumerated() { columns[label] = predictions.map { $0.scores[k] } }
        #expect(evaluation.rocAUC == (try ROCAUC.oneVsRest(truth: truth, scoreColumns: columns))?.macro)
    }

    @Test func mismatchedOptionsAreErrors() throws {
        let binary = try ArtifactFormatTests.mixedSet(task: .binary)
        let multiclass = try ArtifactFormatTests.mixedSet(task: .multiclass)
        func code(_ data: TrainingSet, _ change: (inout TrainingOptions) -> Void, task: ModelTask) -> TrainerError.Code?
        {
            var options = TrainingOptions(task: task)
            change(&options)
            return Support.trainerError { _ = try Trainer.train(data, options: options) }?.code
        }
        #expect(code(binary, { $0.kind = .ridge }, task: .binary) == .invalidOption)
        #expect(code(multiclass, { $0.kind = .logistic }, task: .multiclass) == .invalidOption)
        #expect(code(multiclass, { _ in }, task: .binary) == .invalidData)  // 3 classes for a binary task
        #expect(code(binary, { $0.validationFraction = 1 }, task: .binary) == .invalidOption)
        #expect(code(binary, { $0.folds = 1 }, task: .binary) == .invalidOption)
        // A grid search needs validation rows.
        #expect(code(binary, { $0.validationFraction = 0 }, task: .binary) == .invalidOption)
        #expect(
            code(
                binary,
                {
                    $0.hyperparameters = Hyperparameters(learningRate: -1, l2: 1, epochs: 5, batchSize: 8)
                }, task: .binary) == .invalidOption)
        let noTarget = try TrainingSet(numeric: binary.numeric, categorical: [], target: nil)
        #expect(code(noTarget, { _ in }, task: .binary) == .invalidData)
    }

    /// OpenBLAS threads default to 1; a model trained with 2 threads is the same model.
    @Test func threadCountDoesNotChangeTheModel() throws {
        var options = TrainingOptions(task: .binary)
        #expect(options.threads == 1)
        options.kind = .mlp
        options.search = .none
        options.maxEpochs = 20
        let data = try ArtifactFormatTests.mixedSet(task: .binary)
        let one = try Trainer.train(data, options: options).artifactJSON()
        options.threads = 2
        let two = try Trainer.train(data, options: options).artifactJSON()
        #expect(one == two)
    }
}

/// The large-set path of the fitter (rows shuffled once, batch order per epoch), forced on a small set.
@Suite struct BlockModeTests {
    /// A separable binary problem (3,000 rows, 4 features) and a fit of it with `blockModeCells`.
    struct BlockProblem {
        let x: [Double]
        let labels: [Int]
        let n = 3000
        let d = 4

        init() {
            var rng = SplitMix64(seed: 31)
            let (n, d) = (3000, 4)
            let x = (0..<(n * d)).map { _ in rng.nextGaussian() }
            self.x = x
            labels = (0..<n).map { r in x[r * d] - x[r * d + 1] + 0.3 * rng.nextGaussian() > 0 ? 1 : 0 }
        }

        func fit(_ cells: Int) -> FitOutcome {
            AdamFitter.fit(
                network: Network(sizes: [d, 1], output: .sigmoid, seed: 0), x: x, target: .classes(labels),
                rowWeights: nil, train: Array(0..<n), validation: [],
                hyperparameters: Hyperparameters(learningRate: 0.01, l2: 1, epochs: 5, batchSize: 64), patience: 3,
                seed: 4, blockModeCells: cells)
        }
    }

    @Test func blockModeLearnsASeparableProblem() {
        let problem = BlockProblem()
        let block = problem.fit(0)
        #expect(block.epochs == 5 && !block.diverged)
        let network = Network(sizes: [problem.d, 1], output: .sigmoid, parameters: block.parameters)
        let p = network.outputs(for: problem.x, rows: problem.n)
        let correct = (0..<problem.n).filter { (p[$0] > 0.5 ? 1 : 0) == problem.labels[$0] }.count
        #expect(Double(correct) / Double(problem.n) > 0.85)
    }

    @Test func blockModeIsDeterministic() {
        let problem = BlockProblem()
        #expect(problem.fit(0).parameters == problem.fit(0).parameters)
    }

    @Test func blockModeVisitsTheRowsUnlikeThePerRowPath() {
        let problem = BlockProblem()
        #expect(problem.fit(0).parameters != problem.fit(Int.max).parameters)
    }
}

/// The class labels of a classification target (nil for a regression one).
private func classLabels(_ target: TrainingSet.Target?) -> [String]? {
    if case .classes(let labels)? = target { return labels }
    return nil
}
