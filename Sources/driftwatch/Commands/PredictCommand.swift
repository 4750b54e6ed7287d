import ArgumentParser
import DriftBatch
import DriftCore
import DriftTables
import DriftTrainer

/// `driftwatch predict`: applies a model artifact written by `driftwatch train` to a table.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a trained model (from `driftwatch train`) to a CSV or NDJSON table; write predictions as CSV.",
        discussion: """
            Output columns: row (the 0-based data row of the input, header excluded), prediction (the \
            predicted class, or value for regression), then for classification one column score_<class> per \
            class with its probability, in the model's class order. Feature columns are found by name (others \
            are ignored); missing values are imputed and unseen categories encoded as the model's artifact says.
            """)

    @Option(help: "The model artifact (JSON) written by `driftwatch train`.")
    var model: String

    @Option(help: "The table to score (CSV or NDJSON, optionally gzipped).")
    var data: String

    @Option(help: "Write the predictions to this file instead of standard output.")
    var output: String?

    func run() throws {
        let bytes = try FileBytes.read(model)
        let trained = try TrainerCLI.mapping(file: model) { try TrainedModel.decode(artifact: bytes) }
        let spec = ModelInputs(trained)
        var options = TableReadOptions()
        options.columns = Set(trained.features)
        options.types = spec.types
        let table = try TableLoader.load(data, options: options)
        for name in trained.features where table.column(name) == nil {
            throw TableError(
                .unknownColumn, file: data, line: 1, column: name, "the model needs this column, but the file lacks it")
        }
        let set = try TrainerCLI.mapping(file: data) {
            try TrainingSet(table: table, label: nil, task: trained.task, features: trained.features)
        }
        let predictions = try TrainerCLI.mapping(file: data) { try trained.predict(set) }
        var header = ["row", "prediction"]
        if trained.task != ModelTask.regression { header += trained.classes.map { "score_" + $0 } }
        var text = header.map(TrainerCLI.csvField).joined(separator: ",") + "\n"
        text.reserveCapacity(predictions.count * (16 + 20 * trained.classes.count))
        for (row, prediction) in predictions.enumerated() {
            text += String(row)
            text += ","
            if let label = prediction.label {
                text += TrainerCLI.csvField(label)
            } else {
                text += TrainerCLI.number(prediction.value ?? .nan)
            }
            for score in prediction.scores {
                text += ","
                text += TrainerCLI.number(score)
            }
            text += "\n"
        }
        try OutputWriter.write(text, to: output)
    }
}

/// The column types a model's features were trained with, so a table is read the same way.
struct ModelInputs {
    let types: [String: ColumnType]

    init(_ model: TrainedModel) {
        var types = [String: ColumnType]()
        for name in model.numericFeatures { types[name] = .numeric }
        for name in model.categoricalFeatures { types[name] = .categorical }
        self.types = types
    }
}
