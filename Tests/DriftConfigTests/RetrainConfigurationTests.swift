import DriftCore
import Testing

@testable import DriftConfig

@Suite struct RetrainConfigurationTests {
    @Test func policiesStartFromTheDefaultsAndFitTheTask() throws {
        let config = try ConfigurationLoader.load(
            yaml: """
                alerting:
                  receivers:
                    mlops: {url: "http://127.0.0.1:9/retrain", format: json}
                defaults:
                  retrain: {min_labelled_rows: 500, cooldown: 2h, margin: 0.01}
                models:
                  a:
                    task: binary
                    features: {x: numeric}
                    retrain: {model: mlp, training_window: 3d, holdout_fraction: 0.3, metric: roc_auc, seed: 7}
                  b:
                    task: regression
                    features: {x: numeric}
                  c:
                    task: multiclass
                    features: {x: numeric}
                    retrain: {trainer: command, command: [/usr/local/bin/train, --fast]}
                  d:
                    task: binary
                    features: {x: numeric}
                    retrain: {trainer: webhook, receiver: mlops}
                """, file: "r.yaml")
        let a = try #require(config.model("a")?.retrain)
        #expect(a.minLabelledRows == 500)
        #expect(a.cooldownSeconds == 7200)
        #expect(a.margin == 0.01)
        #expect(a.modelKind == .mlp)
        #expect(a.trainingWindowSeconds == 3 * 86_400)
        #expect(a.holdoutFraction == 0.3)
        #expect(a.metric == "roc_auc")
        #expect(a.seed == 7)
        #expect(a.trainer == .builtin)
        // A regression model compares RMSE unless told otherwise.
        #expect(config.model("b")?.retrain.metric == "rmse")
        #expect(config.model("c")?.retrain.trainer == .command(["/usr/local/bin/train", "--fast"]))
        #expect(config.model("d")?.retrain.trainer == .webhook(receiver: "mlops"))
    }

    @Test func badPoliciesAreRefusedWithTheirPlace() {
        let cases: [(String, String)] = [
            ("retrain: {model: ridge}", "model 'ridge' does not fit a binary model"),
            ("retrain: {metric: rmse}", "metric 'rmse' does not fit a binary model"),
            ("retrain: {metric: bleu}", "'bleu' is not one of"),
            ("retrain: {holdout_fraction: 0.9}", "must be between 0.05 and 0.5"),
            ("retrain: {trainer: command}", "trainer 'command' needs a command"),
            ("retrain: {trainer: webhook, receiver: nobody}", "no receiver named 'nobody'"),
            ("retrain: {trainer: cron}", "'cron' is not one of: builtin, command, webhook"),
            ("retrain: {min_labeled_rows: 10}", "min_labelled_rows"),
        ]
        for (setting, message) in cases {
            expectRefused(setting, message: message, path: "models.m.retrain")
        }
    }

    @Test func aCommandTrainerHasATimeoutAndAnEnvironmentAllowList() throws {
        let config = try ConfigurationLoader.load(
            yaml: """
                defaults:
                  retrain: {timeout: 30m}
                models:
                  a:
                    task: binary
                    features: {x: numeric}
                    retrain: {trainer: command, command: [train], env: [PATH, MLFLOW_TRACKING_URI, PATH]}
                  b:
                    task: binary
                    features: {x: numeric}
                    retrain: {trainer: command, command: [train], timeout: 2s, env: []}
                  c:
                    task: binary
                    features: {x: numeric}
                """, file: "r.yaml")
        let a = try #require(config.model("a")?.retrain)
        #expect(a.timeoutSeconds == 1800)
        #expect(a.environment == ["PATH", "MLFLOW_TRACKING_URI"])
        let b = try #require(config.model("b")?.retrain)
        #expect(b.timeoutSeconds == 2)
        #expect(b.environment.isEmpty)
        let c = try #require(config.model("c")?.retrain)
        #expect(c.timeoutSeconds == 1800)
        #expect(c.environment == ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"])
        #expect(RetrainPolicy().timeoutSeconds == 3600)
    }

    @Test func aBadTimeoutOrEnvironmentNameIsRefusedWithItsLine() {
        let cases: [(String, String, String)] = [
            ("retrain: {timeout: 0s}", "'0s' is not a duration", "models.m.retrain.timeout"),
            ("retrain: {timeout: soon}", "'soon' is not a duration", "models.m.retrain.timeout"),
            ("retrain: {env: PATH}", "expected a list", "models.m.retrain.env"),
            ("retrain: {env: [PATH, 1BAD]}", "'1BAD' is not an environment variable name", "models.m.retrain.env[1]"),
            ("retrain: {env: [PATH, A=B]}", "'A=B' is not an environment variable name", "models.m.retrain.env[1]"),
        ]
        for (setting, message, path) in cases {
            expectRefused(setting, message: message, path: path)
        }
    }
}
