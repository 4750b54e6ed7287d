import DriftCore
import DriftTables
import DriftTrainer

/// What `driftwatch train` prints: the model, the chosen settings, the search and the held-out evaluation.
package struct TrainReport {
    package let data: String
    package let artifact: String
    package let model: TrainedModel
    package let trainRows: Int
    package let testRows: Int
    package let evaluation: Evaluation?

    package init(
        data: String,
        artifact: String,
        model: TrainedModel,
        trainRows: Int,
        testRows: Int,
        evaluation: Evaluation? = nil
    ) {
        self.data = data
        self.artifact = artifact
        self.model = model
        self.trainRows = trainRows
        self.testRows = testRows
        self.evaluation = evaluation
    }

    /// The metrics printed for the model's task.
    package var metricNames: [EvaluationMetric] { EvaluationMetric.reported(for: model.task) }

    package func text() -> String {
        let hp = model.hyperparameters
        let training = model.training
        var lines = [
            "trained \(model.kind.rawValue) (\(model.task.rawValue)) on \(trainRows) rows of \(data), "
                + "\(model.features.count) features; \(testRows) rows held out (seed \(model.seed))"
        ]
        if !model.classes.isEmpty {
            let positive = model.task == .binary ? " (positive: \(model.classes[1]))" : ""
            lines.append("classes: " + model.classes.joined(separator: ", ") + positive)
        }
        var settings = "chosen: l2 \(TrainerCLI.number(hp.l2))"
        if model.kind != .ridge {
            settings =
                "chosen: learning_rate \(TrainerCLI.number(hp.learningRate)), l2 \(TrainerCLI.number(hp.l2)), "
                + "epochs \(hp.epochs), batch_size \(hp.batchSize)"
            if !hp.hiddenLayers.isEmpty {
                settings += ", hidden " + hp.hiddenLayers.map(String.init).joined(separator: ",")
            }
        }
        lines.append(settings)
        let scored: String
        switch training.validation {
        case "kfold": scored = "\(training.folds ?? 0)-fold cross-validation"
        case "holdout": scored = "a \(training.validationRows)-row validation split"
        default: scored = "no validation rows"
        }
        lines.append(
            "search: \(Self.searchName(training.search)), \(training.trials.count) settings scored on \(scored)")
        if let score = training.validationScore {
            lines.append("validation \(training.scoreMetric): \(Self.format(score))")
        }
        if let evaluation {
            lines.append("held-out evaluation (\(evaluation.rows) rows):")
            for name in metricNames {
                let value = evaluation.value(of: name).map(Self.format) ?? "n/a"
                lines.append("  " + name.rawValue.paddedRight(to: 10) + value)
            }
        }
        lines.append("model written to \(artifact)")
        return lines.joined(separator: "\n") + "\n"
    }

    package func json() -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("model", model.kind.rawValue)
        w.string("task", model.task.rawValue)
        w.string("data", data)
        w.integer("train_rows", trainRows)
        w.integer("test_rows", testRows)
        w.integer("seed", Int(truncatingIfNeeded: model.seed))
        w.beginArray("features")
        for feature in model.features { w.string(nil, feature) }
        w.endArray()
        w.beginArray("classes")
        for label in model.classes { w.string(nil, label) }
        w.endArray()
        w.beginObject("hyperparameters")
        Self.write(model.hyperparameters, to: &w)
        w.endObject()
        w.beginObject("validation")
        w.string("method", model.training.validation)
        w.integer("rows", model.training.validationRows)
        if let folds = model.training.folds { w.integer("folds", folds) } else { w.null("folds") }
        w.string("metric", model.training.scoreMetric)
        w.number("score", model.training.validationScore)
        w.endObject()
        w.string("search", Self.searchName(model.training.search))
        w.beginArray("trials")
        for trial in model.training.trials {
            w.beginObject()
            Self.write(trial.hyperparameters, to: &w)
            w.number("score", trial.score)
            if let epoch = trial.bestEpoch { w.integer("best_epoch", epoch) } else { w.null("best_epoch") }
            w.endObject()
        }
        w.endArray()
        if let evaluation {
            w.beginObject("evaluation")
            w.integer("rows", evaluation.rows)
            for name in metricNames { w.number(name.rawValue, evaluation.value(of: name)) }
            w.endObject()
        } else {
            w.null("evaluation")
        }
        w.string("artifact", artifact)
        w.endObject()
        return w.text + "\n"
    }

    package static func write(_ hp: Hyperparameters, to w: inout JSONWriter) {
        w.number("learning_rate", hp.learningRate)
        w.number("l2", hp.l2)
        w.beginArray("hidden_layers")
        for width in hp.hiddenLayers { w.integer(nil, width) }
        w.endArray()
        w.integer("epochs", hp.epochs)
        w.integer("batch_size", hp.batchSize)
    }

    package static func searchName(_ search: SearchStrategy) -> String {
        switch search {
        case .none: return "none"
        case .grid: return "grid"
        case .random: return "random"
        }
    }

    /// Four decimals (enough to compare models; the JSON output has every digit).
    package static func format(_ v: Double) -> String {
        guard v.isFinite else { return TrainerCLI.number(v) }
        let scaled = (v * 10_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int64(abs(scaled))
        let fraction = String(magnitude % 10_000)
        return sign + String(magnitude / 10_000) + "." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}

extension String {
    /// Padded with spaces on the right to `width` characters.
    package func paddedRight(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
