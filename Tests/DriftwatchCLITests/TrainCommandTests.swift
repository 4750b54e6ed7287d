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

    @Test func trainsEvaluatesAndPredictsWine() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("wine.json").path
        let out = try CLIRunner.run([
            "train", "--data", Self.uci("wine.csv"), "--label", "target", "--output", model, "--format", "json",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let json = out.json
        #expect(json["model"] as? String == "softmax")
        #expect(json["task"] as? String == "multiclass")
        #expect(json["classes"] as? [String] == ["0", "1", "2"])
        #expect((json["train_rows"] as? Int ?? 0) + (json["test_rows"] as? Int ?? 0) == 178)
        #expect(json["test_rows"] as? Int == 36)
        #expect((number(dig(json, "evaluation", "accuracy")) ?? 0) > 0.9)
        #expect(dig(json, "validation", "method") as? String == "holdout")
        #expect((json["trials"] as? [Any])?.count == 6)
        #expect(dig(json, "hyperparameters", "l2") != nil)

        let artifact = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model)))
        #expect(dig(artifact, "format_version") as? Int == 1)
        #expect(dig(artifact, "kind") as? String == "softmax")

        let predictions = dir.appendingPathComponent("preds.csv").path
        let predicted = try CLIRunner.run([
            "predict", "--model", model, "--data", Self.uci("wine.csv"), "--output", predictions,
        ])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let rows = Self.csvRows(try String(contentsOfFile: predictions, encoding: .utf8))
        #expect(rows.first == ["row", "prediction", "score_0", "score_1", "score_2"])
        #expect(rows.count == 179)
        #expect(rows[1][0] == "0" && rows[178][0] == "177")
        let sums = rows.dropFirst().map { $0[2...].compactMap(Double.init).reduce(0, +) }
        #expect(sums.allSatisfy { abs($0 - 1) < 1e-9 })
        let labels = Self.csvRows(try String(contentsOfFile: Self.uci("wine.csv"), encoding: .utf8)).dropFirst()
            .map { $0.last ?? "" }
        let correct = zip(labels, rows.dropFirst()).filter { $0 == $1[1] }.count
        #expect(Double(correct) / 178 > 0.95)
    }

    @Test func breastCancerIsBinaryAndTextOutputNamesTheChosenSettings() throws {
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

    @Test func infersRegressionAndFixedSettings() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLIRunner.run([
            "train", "--data", Self.uci("wine.csv"), "--label", "alcohol", "--features", "proline,color_intensity,hue",
            "--model", "mlp", "--hidden", "16", "--learning-rate", "0.01", "--epochs", "50", "--format", "json",
            "--output", dir.appendingPathComponent("m.json").path,
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.json["task"] as? String == "regression")
        #expect(out.json["features"] as? [String] == ["proline", "color_intensity", "hue"])
        #expect(dig(out.json, "hyperparameters", "hidden_layers") as? [Int] == [16])
        #expect(out.json["search"] as? String == "none")
        #expect(number(dig(out.json, "evaluation", "r2")) != nil)
    }

    @Test func gzipInputAndSameSeedSameArtifact() throws {
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
        #expect(artifacts[0] == artifacts[1])
        let predicted = try CLIRunner.run([
            "predict", "--model", dir.appendingPathComponent("a.json").path, "--data",
            CLIRunner.fixture("trainer/small.csv"),
        ])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(predicted.stdout.hasPrefix("row,prediction,score_no,score_yes\n"))
    }

    @Test func badInputExitsTwoWithPlaceAndColumn() throws {
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
