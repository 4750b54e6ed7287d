import Foundation
import Testing

@Suite struct MetricsCommandTests {
    func expected(_ dir: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/expected.json")))
    }

    @Test func binaryGoldenCase() throws {
        let dir = CLIRunner.fixture("golden/clf_binary_basic")
        let out = try CLIRunner.run([
            "metrics", "--input", dir + "/predictions.csv", "--label", "y_true", "--prediction", "y_pred", "--score",
            "y_score",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let json = out.json
        let e = expected(dir)
        #expect(json["task"] as? String == "binary")
        #expect(json["rows"] as? Int == 200)
        #expect(close(number(json["accuracy"]), number(dig(e, "metrics", "accuracy"))))
        #expect(close(number(json["roc_auc"]), number(dig(e, "metrics", "roc_auc"))))
        #expect(close(number(json["log_loss"]), number(dig(e, "metrics", "log_loss"))))
        #expect(close(number(dig(json, "macro", "f1")), number(dig(e, "metrics", "macro", "f1"))))
        #expect(dig(json, "classes", 1, "label") as? String == "1")
        #expect(close(number(dig(json, "classes", 1, "f1")), number(dig(e, "metrics", "per_class", "1", "f1"))))
        #expect(
            dig(json, "confusion_matrix", "matrix") as? [[Int]] == dig(e, "metrics", "confusion_matrix", "matrix")
                as? [[Int]])
    }

    @Test func multiclassGoldenCase() throws {
        let dir = CLIRunner.fixture("golden/clf_multiclass_basic")
        let out = try CLIRunner.run([
            "metrics", "--input", dir + "/predictions.csv", "--label", "y_true", "--prediction", "y_pred",
            "--score-prefix", "score_",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let json = out.json
        let e = expected(dir)
        #expect(json["task"] as? String == "multiclass")
        #expect(close(number(json["roc_auc"]), number(dig(e, "metrics", "roc_auc_ovr_macro"))))
        #expect(close(number(json["roc_auc_weighted"]), number(dig(e, "metrics", "roc_auc_ovr_weighted"))))
        #expect(close(number(json["log_loss"]), number(dig(e, "metrics", "log_loss"))))
        #expect(close(number(dig(json, "weighted", "f1")), number(dig(e, "metrics", "weighted", "f1"))))
        #expect(dig(json, "confusion_matrix", "labels") as? [String] == ["bird", "cat", "dog"])
    }

    @Test func regressionIsInferred() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dw-reg-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "y,yhat\n3,2.5\n-0.5,0.0\n2,2\n7,8\n".write(toFile: path, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["metrics", "--input", path, "--label", "y", "--prediction", "yhat"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.json["task"] as? String == "regression")
        // scikit-learn: mean_absolute_error = 0.5, root_mean_squared_error = 0.6123724356957945,
        // r2_score = 0.9486081370449679 for these rows.
        #expect(close(number(out.json["mae"]), 0.5))
        #expect(close(number(out.json["rmse"]), 0.6123724356957945))
        #expect(close(number(out.json["r2"]), 0.9486081370449679))
    }

    @Test func numericLabelsCompareAsStrings() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dw-lab-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "y,p\n1,1.0\n0,0.0\n1,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["metrics", "--input", path, "--label", "y", "--prediction", "p"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(close(number(out.json["accuracy"]), 2.0 / 3.0))
        #expect(dig(out.json, "confusion_matrix", "labels") as? [String] == ["0", "1"])
    }

    @Test func missingColumnIsAnError() throws {
        let dir = CLIRunner.fixture("golden/clf_binary_basic")
        let out = try CLIRunner.run([
            "metrics", "--input", dir + "/predictions.csv", "--label", "nope", "--prediction", "y_pred",
        ])
        #expect(out.status == 2)
        #expect(out.stderr.contains("'nope'"))
    }
}
