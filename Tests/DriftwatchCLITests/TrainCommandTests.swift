import DriftTestSupport
import Foundation
import Testing

/// `driftwatch train` and `driftwatch predict`, through the real binary.
@Suite struct TrainCommandTests {
    /// The trainer's UCI fixtures (shared with DriftTrainerTests rather than copied).
    static func uci(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DriftTrainerTests/Fixtures/" + name).path
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("driftwatch-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func csvRows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Trains on the wine data into `dir/wine.json` (JSON summary); the run's outcome and the model's path.
    static func trainWine(in dir: URL) throws -> (CLIRunner.Outcome, String) {
        let model = dir.appendingPathComponent("wine.json").path
        let out = try CLIRunner.run([
            "train", "--data", Self.uci("wine.csv"), "--label", "target", "--output", model, "--format", "json",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        return (out, model)
    }

    @Test func trainingOnWineReportsTheHeldOutEvaluation() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try Self.trainWine(in: dir).0.object()
        #expect(json.string("model") == "softmax")
        #expect(json.string("task") == "multiclass")
        #expect(json.strings("classes") == ["0", "1", "2"])
        #expect((json.int("train_rows") ?? 0) + (json.int("test_rows") ?? 0) == 178)
        #expect(json.int("test_rows") == 36)
        #expect((json.object("evaluation")?.double("accuracy") ?? 0) > 0.9)
        #expect(json.object("validation")?.string("method") == "holdout")
        #expect(json.array("trials")?.count == 6)
        #expect(json.object("hyperparameters")?["l2"] != nil)
    }

    @Test func aTrainedModelIsWrittenAsAVersionedArtifact() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let artifact = try JSONObject(contentsOfFile: try Self.trainWine(in: dir).1)
        #expect(artifact.int("format_version") == 1)
        #expect(artifact.string("kind") == "softmax")
    }

    @Test func aTrainedModelPredictsEveryRowWithScoresThatSumToOne() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, model) = try Self.trainWine(in: dir)
        let predictions = dir.appendingPathComponent("preds.csv").path
        let predicted = try CLIRunner.run([
            "predict", "--model", model, "--data", Self.uci("wine.csv"), "--output", predictions,
        ])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let rows = Self.csvRows(try String(contentsOfFile: predictions, encoding: .utf8))
        #expect(rows.first == ["row", "prediction", "score_0", "score_1", "score_2"])
        try #require(rows.count == 179)
        #expect(rows[1][0] == "0" && rows[178][0] == "177")
        let sums = rows.dropFirst().map { $0[2...].compactMap(Double.init).reduce(0, +) }
        #expect(sums.allSatisfy { abs($0 - 1) < 1e-9 })
        let labels = Self.csvRows(try String(contentsOfFile: Self.uci("wine.csv"), encoding: .utf8)).dropFirst()
            .map { $0.last ?? "" }
        let correct = zip(labels, rows.dropFirst()).filter { $0 == $1[1] }.count
        #expect(Double(correct) / 178 > 0.95)
    }

    @Test func theTextOutputOfABinaryTrainingNamesTheChosenSettings() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLIRunner.run([
            "train", "--data", Self.uci("breast_cancer.csv"), "--label", "target", "--output",
            dir.appendingPathComponent("m.json").path, "--class-weight", "balanced", "--folds", "3",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("trained logistic (binary)"))
        #expect(out.stdout.contains("classes: 0, 1 (positive: 1)"))
        #expect(out.stdout.contains("chosen: learning_rate"))
        #expect(out.stdout.contains("3-fold cross-validation"))
        #expect(out.stdout.contains("roc_auc"))
    }

    /// Trains an MLP with fixed settings on three wine columns to predict the (numeric) alcohol.
    static func trainAlcohol(in dir: URL) throws -> JSONObject {
        let out = try CLIRunner.run([
            "train", "--data", Self.uci("wine.csv"), "--label", "alcohol", "--features", "proline,color_intensity,hue",
            "--model", "mlp", "--hidden", "16", "--learning-rate", "0.01", "--epochs", "50", "--format", "json",
            "--output", dir.appendingPathComponent("m.json").path,
        ])
        #expect(out.status == 0, "\(out.stderr)")
        return try out.object()
    }

    @Test func aNumericLabelIsTrainedAsARegression() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try Self.trainAlcohol(in: dir)
        #expect(json.string("task") == "regression")
        #expect(json.object("evaluation")?.double("r2") != nil)
    }

    @Test func givenSettingsAreTrainedWithoutASearch() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try Self.trainAlcohol(in: dir)
        #expect(json.strings("features") == ["proline", "color_intensity", "hue"])
        #expect(json.object("hyperparameters")?["hidden_layers"] as? [Int] == [16])
        #expect(json.string("search") == "none")
    }

    @Test func theSameSeedTrainsTheSameArtifact() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var artifacts = [Data]()
        for name in ["a.json", "b.json"] {
            let path = dir.appendingPathComponent(name).path
            let out = try CLIRunner.run([
                "train", "--data", CLIRunner.fixture("trainer/small_gz.csv.gz"), "--label", "y", "--seed", "7",
                "--test-fraction", "0", "--output", path,
            ])
            #expect(out.status == 0, "\(out.stderr)")
            artifacts.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        try #require(artifacts.count == 2)
        #expect(artifacts[0] == artifacts[1])
    }

    @Test func aModelTrainedOnGzipInputPredicts() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("a.json").path
        let out = try CLIRunner.run([
            "train", "--data", CLIRunner.fixture("trainer/small_gz.csv.gz"), "--label", "y", "--seed", "7",
            "--test-fraction", "0", "--output", model,
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let predicted = try CLIRunner.run([
            "predict", "--model", model, "--data", CLIRunner.fixture("trainer/small.csv"),
        ])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(predicted.stdout.hasPrefix("row,prediction,score_no,score_yes\n"))
    }

    @Test func badInputExitsTwoNamingThePlace() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.json").path
        let trained = try CLIRunner.run([
            "train", "--data", CLIRunner.fixture("trainer/small.csv"), "--label", "y", "--test-fraction", "0",
            "--search", "none", "--output", model,
        ])
        #expect(trained.status == 0, "\(trained.stderr)")

        let missingLabel = CLIRunner.fixture("trainer/missing_label.csv")
        let badNumber = CLIRunner.fixture("trainer/bad_number.csv")
        let noSize = CLIRunner.fixture("trainer/no_size.csv")
        let cases: [([String], String)] = [
            (["train", "--data", missingLabel, "--label", "y"], "missing_label.csv:3: column 'y': 1 row has no label"),
            (["train", "--data", missingLabel, "--label", "nope"], "column 'nope': no such column"),
            (
                ["train", "--data", CLIRunner.fixture("trainer/small.csv"), "--label", "y", "--model", "ridge"],
                "numeric"
            ),
            (["predict", "--model", model, "--data", badNumber], "bad_number.csv:3: column 'size'"),
            (["predict", "--model", model, "--data", noSize], "column 'size': the model needs this column"),
            (["predict", "--model", dir.appendingPathComponent("none.json").path, "--data", noSize], "cannot open"),
            (["train", "--data", missingLabel, "--label", "y", "--test-fraction", "1"], "--test-fraction"),
        ]
        for (arguments, fragment) in cases {
            let out = try CLIRunner.run(arguments + ["--output", dir.appendingPathComponent("x.out").path])
            #expect(out.status == 2, "\(arguments): \(out.stderr)")
            #expect(out.stderr.contains(fragment), "\(arguments): \(out.stderr)")
        }
    }

    @Test func otherArtifactVersionIsRejected() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.json").path
        let trained = try CLIRunner.run([
            "train", "--data", CLIRunner.fixture("trainer/small.csv"), "--label", "y", "--test-fraction", "0",
            "--search", "none", "--output", model,
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let text = try String(contentsOfFile: model, encoding: .utf8)
            .replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 9")
        try text.write(toFile: model, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["predict", "--model", model, "--data", CLIRunner.fixture("trainer/small.csv")])
        #expect(out.status == 2)
        #expect(out.stderr.contains("m.json: unsupported model artifact format_version 9"), "\(out.stderr)")
    }
}
