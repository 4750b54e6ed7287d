import DriftCore
import Testing

@testable import DriftConfig

@Suite struct AlertRuleConfigurationTests {
    /// Two receivers, two default rules and a model with two rules of its own (one replacing a default).
    static func alerting() throws -> DriftwatchConfiguration {
        try ConfigurationLoader.load(
            yaml: """
                alerting:
                  external_url: http://driftwatch.example:8080
                  repeat_interval: 2h
                  receivers:
                    oncall: {url: "http://127.0.0.1:9093/hook", format: alertmanager, timeout: 3s}
                    signed: {url: "https://hooks.example/dw", format: json, secret_env: HOOK_SECRET, hub_signature: true}
                defaults:
                  rules:
                    - {name: psi_drift, metric: drift_statistic, method: psi, when: "> 0.2", for: 2, receivers: [oncall]}
                    - {name: slow, metric: latency_p95, when: "> 250", severity: critical}
                models:
                  m:
                    task: binary
                    features: {x: numeric}
                    rules:
                      - name: slow
                        metric: latency_p95
                        when: ">= 500"
                      - name: f1_low
                        metric: f1
                        class: "1"
                        when: "< 0.8"
                        min_label_coverage: 0.5
                        annotations: {summary: "F1 of {{model}} is {{value}}"}
                        retrain: true
                """, file: "a.yaml")
    }

    @Test func receiversAreRead() throws {
        let config = try Self.alerting()
        try #require(config.alerting.receivers.map(\.name) == ["oncall", "signed"])
        #expect(config.alerting.receivers[0].timeoutSeconds == 3)
        #expect(config.alerting.receivers[1].hubSignature)
        #expect(config.alerting.repeatIntervalSeconds == 7200)
    }

    @Test func anAlertmanagerAPIReceiverIsReadWithItsResendInterval() throws {
        let config = try ConfigurationLoader.load(
            yaml: """
                alerting:
                  receivers:
                    am: {url: "http://127.0.0.1:9093", format: alertmanager_api, resend_interval: 2m}
                    plain: {url: "http://127.0.0.1:9093", format: alertmanager_api}
                """, file: "am.yaml")
        try #require(config.alerting.receivers.count == 2)
        #expect(config.alerting.receivers[0].format == .alertmanagerAPI)
        #expect(config.alerting.receivers[0].resendIntervalSeconds == 120)
        #expect(config.alerting.receivers[1].resendIntervalSeconds == 60)
    }

    @Test func anUnknownReceiverFormatOrAMisplacedResendIntervalIsNamedWithItsLine() {
        var problems: [ConfigurationProblem] = []
        do {
            _ = try ConfigurationLoader.load(
                yaml: """
                    alerting:
                      receivers:
                        a: {url: "http://x", format: alertmanager_v2}
                        b: {url: "http://x", format: json, resend_interval: 1m}
                    """, file: "c.yaml")
        } catch {
            problems = error.problems
        }
        let text = problems.map(\.description)
        #expect(
            text.contains { $0.hasPrefix("c.yaml:3:") && $0.contains("'alertmanager_v2' is not one of") }, "\(text)")
        #expect(
            text.contains { $0.hasPrefix("c.yaml:4:") && $0.contains("alertmanager_api receivers only") }, "\(text)")
    }

    @Test func aModelsRulesFollowTheDefaultRules() throws {
        let rules = try #require(try Self.alerting().model("m")?.rules)
        try #require(rules.map(\.name) == ["psi_drift", "slow", "f1_low"])
        #expect(rules[0].forWindows == 2 && rules[0].comparison == .above && rules[0].threshold == 0.2)
        #expect(rules[2].classLabel == "1" && rules[2].retrain && rules[2].minLabelCoverage == 0.5)
    }

    @Test func aModelsRuleReplacesTheDefaultRuleOfTheSameName() throws {
        let rules = try #require(try Self.alerting().model("m")?.rules)
        try #require(rules.count == 3)
        #expect(rules[1].threshold == 500 && rules[1].comparison == .atLeast)
    }

    @Test func badRulesAreNamedWithTheirLine() {
        var problems: [ConfigurationProblem] = []
        do {
            _ = try ConfigurationLoader.load(
                yaml: """
                    alerting:
                      receivers:
                        hook: {url: "ftp://x", format: json}
                    defaults:
                      rules:
                        - {name: a, metric: drift_statistc, when: "> 1"}
                        - {name: b, metric: f1, when: "about 3"}
                        - {name: c, metric: f1, when: "< 0.5", receivers: [nobody]}
                        - {metric: f1}
                    """, file: "b.yaml")
        } catch {
            problems = error.problems
        }
        let text = problems.map(\.description)
        #expect(text.contains { $0.hasPrefix("b.yaml:3:") && $0.contains("http:// or https://") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("b.yaml:6:") && $0.contains("did you mean 'drift_statistic'") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("b.yaml:7:") && $0.contains("is not a condition") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("b.yaml:8:") && $0.contains("no receiver named 'nobody'") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("b.yaml:9:") && $0.contains("needs name, when") }, "\(text)")
    }
}
