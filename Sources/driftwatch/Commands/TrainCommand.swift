import ArgumentParser
import DriftBatch
import DriftCore
import DriftTables
import DriftTrainer

/// `driftwatch train`: trains a model with the built-in trainer on a table, evaluates it on a seeded held-out
/// part and writes the model artifact.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model (logistic, softmax, mlp or ridge) on a CSV or NDJSON table and write its artifact.",
        discussion: """
            The task is inferred unless --task (or a model that implies it) is given, with the rule of \
            `driftwatch metrics`: regression when the label column is numeric with non-integer values or more \
            than 20 distinct values, binary with at most two classes, multiclass otherwise. A seeded, \
            class-stratified --test-fraction of the rows is held out and the model is evaluated on it; the \
            rest is used for training (with its own validation split, or --folds, for early stopping and the \
            hyperparameter search). Giving any of --learning-rate, --l2, --hidden, --epochs or --batch-size \
            fixes the settings (no search). See README.md, "Built-in trainer".
            """)

    @Option(help: "The training table (CSV or NDJSON, optionally gzipped).")
    var data: String

    @Option(help: "The label (target) column.")
    var label: String

    @Option(help: "logistic, softmax, mlp or ridge (default: logistic, softmax or ridge by task).")
    var model: ModelKind?

    @Option(help: "binary, multiclass or regression (default: inferred).")
    var task: ModelTask?

    @Option(help: "Comma-separated feature columns (default: every column but the label).")
    var features: String?

    @Option(help: "Comma-separated columns to treat as categorical (others: numeric when their values are numbers).")
    var categorical: String?

    @Option(help: "Seed of every random choice (splits, initial weights, batch order, random search).")
    var seed: UInt64 = 0

    @Option(help: "Hyperparameter search: none, grid or random.")
    var search: SearchName = .grid

    @Option(help: "Settings tried by --search random.")
    var trials: Int = 20

    @Option(help: "Score the search by k-fold cross-validation with this many folds (default: a validation split).")
    var folds: Int?

    @Option(name: .customLong("class-weight"), help: "Class weights of the loss: none or balanced (n / (k·n_c)).")
    var classWeight: ClassWeighting = .none

    @Option(name: .customLong("test-fraction"), help: "Share of rows held out for the evaluation (0: none).")
    var testFraction: Double = 0.2

    @Option(
        name: .customLong("validation-fraction"),
        help: "Share of the training rows used for early stopping and scoring the search.")
    var validationFraction: Double = 0.2

    @Option(name: .customLong("max-epochs"), help: "Epoch cap for searched settings (early stopping picks the count).")
    var maxEpochs: Int = 200

    @Option(help: "Early stopping: epochs without improvement of the validation loss before stopping.")
    var patience: Int = 10

    @Option(name: .customLong("learning-rate"), help: "Fixed Adam learning rate.")
    var learningRate: Double?

    @Option(help: "Fixed L2 penalty λ (= 1/C of scikit-learn; ridge: alpha).")
    var l2: Double?

    @Option(help: "Fixed hidden layer widths of an mlp, e.g. 32 or 64,32.")
    var hidden: String?

    @Option(help: "Fixed epochs (with a validation split, the cap for early stopping).")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Fixed mini-batch size.")
    var batchSize: Int?

    @Option(help: "OpenBLAS threads for training.")
    var threads: Int = 1

    @Option(help: "Where to write the model artifact (JSON).")
    var output: String = "model.json"

    @Option(help: "Output format of the report: text or json.")
    var format: TrainFormat = .text

    func validate() throws {
        if !(testFraction >= 0 && testFraction < 1) { throw ValidationError("--test-fraction must be in [0, 1)") }
        if !(validationFraction >= 0 && validationFraction < 1) {
            throw ValidationError("--validation-fraction must be in [0, 1)")
        }
        if trials < 1 { throw ValidationError("--trials must be at least 1") }
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        _ = try hiddenLayers()
    }

    func hiddenLayers() throws -> [Int]? {
        guard let hidden else { return nil }
        let widths = hidden.split(separator: ",").map { Int(String($0).trimmedOfSpaces()) }
        guard !widths.isEmpty, widths.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--hidden expects positive widths separated by commas, e.g. 64,32")
        }
        return widths.compactMap { $0 }
    }

    func run() throws {
        var readOptions = TableReadOptions()
        readOptions.categorical = Set(categorical.map(DriftCommand.list) ?? [])
        let featureList = features.map(DriftCommand.list)
        if let featureList { readOptions.columns = Set(featureList + [label]) }
        let table = try TableLoader.load(data, options: readOptions)
        guard let labelColumn = table.column(label) else {
            throw TableError(
                .unknownColumn, file: data, line: 1, column: label,
                "no such column (the header has: \(table.columnNames.prefix(20).joined(separator: ", ")))")
        }
        for name in featureList ?? [] where table.column(name) == nil {
            throw TableError(.unknownColumn, file: data, line: 1, column: name, "no such column")
        }
        let task = self.task ?? Self.impliedTask(model) ?? Self.inferTask(labelColumn)

        let set = try TrainerCLI.mapping(file: data) {
            try TrainingSet(table: table, label: label, task: task, features: featureList)
        }
        let (trainRows, testRows) = set.holdOut(testFraction: testFraction, seed: seed)
        var options = TrainingOptions(task: task)
        options.kind = model
        options.seed = seed
        options.validationFraction = validationFraction
        options.folds = folds
        options.classWeighting = classWeight
        options.maxEpochs = maxEpochs
        options.patience = patience
        options.threads = threads
        switch search {
        case .none: options.search = .none
        case .grid: options.search = .grid
        case .random: options.search = .random(trials: trials)
        }
        if learningRate != nil || l2 != nil || hidden != nil || epochs != nil || batchSize != nil {
            let kind = model ?? ModelKind.defaultKind(for: task)
            let isRidge = kind == .ridge
            options.hyperparameters = Hyperparameters(
                learningRate: learningRate ?? (isRidge ? 0 : kind == .mlp ? 0.001 : 0.01), l2: l2 ?? 1,
                hiddenLayers: try hiddenLayers() ?? (kind == .mlp ? [32] : []),
                epochs: epochs ?? (isRidge ? 0 : maxEpochs),
                batchSize: batchSize ?? (isRidge ? 0 : trainRows.count <= 10_000 ? 32 : 256))
        }
        let trainSet = set.rows(trainRows)
        let trained = try TrainerCLI.mapping(file: data) { try Trainer.train(trainSet, options: options) }
        let evaluation =
            testRows.isEmpty ? nil : try TrainerCLI.mapping(file: data) { try trained.evaluate(set.rows(testRows)) }
        let artifact = try TrainerCLI.mapping(file: output) { try trained.artifactJSON() }
        try OutputWriter.write(String(decoding: artifact, as: UTF8.self), to: output)
        let report = TrainReport(
            data: data, artifact: output, model: trained, trainRows: trainRows.count, testRows: testRows.count,
            evaluation: evaluation)
        FileHandleOutput.standardOutput(format == .json ? report.json() : report.text())
    }

    /// The task a model kind implies, if any (ridge: regression; logistic: binary; softmax: multiclass).
    static func impliedTask(_ kind: ModelKind?) -> ModelTask? {
        switch kind {
        case .ridge: return .regression
        case .logistic: return .binary
        case .softmax: return .multiclass
        case .mlp, nil: return nil
        }
    }

    /// `driftwatch metrics`' rule: regression for a numeric label with non-integer values or more than 20
    /// distinct values; binary with at most two classes; multiclass otherwise.
    static func inferTask(_ column: TableColumn) -> ModelTask {
        if case .numeric(let values, _, _) = column {
            let finite = values.filter { !$0.isNaN }
            if !finite.allSatisfy({ $0 == $0.rounded() }) || Set(finite).count > 20 { return .regression }
        }
        return Set(column.strings.compactMap { $0 }).count <= 2 ? .binary : .multiclass
    }
}

/// `--search` values.
enum SearchName: String, ExpressibleByArgument, CaseIterable {
    case none
    case grid
    case random
}

/// `--format` values of `train`.
enum TrainFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

extension ModelKind: ExpressibleByArgument {}
extension ModelTask: ExpressibleByArgument {}
extension ClassWeighting: ExpressibleByArgument {}
