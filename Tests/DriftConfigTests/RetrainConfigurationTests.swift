import DriftCore
import Testing

@testable import DriftConfig

@Suite struct RetrainConfigurationTests {
    /// Four models' retrain settings over shared defaults: built-in with its own settings, regression with
    /// none, a command trainer, a webhook trainer.
    static func policies() throws -> DriftwatchConfiguration {
        try ConfigurationLoader.load(
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
    }

    @Test func aModelsRetrainSettingsOverrideTheDefaults() throws {
        let a = try #require(try Self.policies().model("a")?.retrain)
        #expect(a.minLabelledRows == 500)
        #expect(a.cooldownSeconds == 7200)
        #expect(a.margin == 0.01)
        #expect(a.modelKind == .mlp)
        #expect(a.trainingWindowSeconds == 3 * 86_400)
        #expect(a.holdoutFraction == 0.3)
        #expect(a.metric == .rocAUC)
        #expect(a.seed == 7)
    }

    @Test func aRegressionModelComparesRMSEByDefault() throws {
        #expect(try Self.policies().model("b")?.retrain.metric == .rmse)
    }

    @Test func theTrainerIsBuiltInUnlessACommandOrWebhookIsNamed() throws {
        let config = try Self.policies()
        #expect(config.model("a")?.retrain.trainer == .builtin)
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

    /// Three command trainers: a deduplicated allow-list with the default timeout, an empty allow-list with a
    /// timeout of its own, and neither set.
    static func commandTrainers() throws -> DriftwatchConfiguration {
        try ConfigurationLoader.load(
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
    }

    @Test func aCommandTrainersTimeoutComesFromTheModelOrTheDefaults() throws {
        let config = try Self.commandTrainers()
        #expect(config.model("a")?.retrain.timeoutSeconds == 1800)
        #expect(config.model("b")?.retrain.timeoutSeconds == 2)
        #expect(config.model("c")?.retrain.timeoutSeconds == 1800)
        #expect(RetrainPolicy().timeoutSeconds == 3600)
    }

    @Test func aCommandTrainersEnvironmentAllowListIsTheListedVariablesOrTheBasics() throws {
        let config = try Self.commandTrainers()
        #expect(config.model("a")?.retrain.environment == ["PATH", "MLFLOW_TRACKING_URI"])
        #expect(config.model("b")?.retrain.environment.isEmpty == true)
        #expect(config.model("c")?.retrain.environment == ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"])
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
