import DriftCore
import Yams

extension ConfigurationLoader {
    static let alertingKeys: Set<String> = [
        "receivers", "repeat_interval", "external_url", "send_interval", "concurrency", "max_retry_interval",
    ]
    static let receiverKeys: Set<String> = [
        "url", "format", "secret_env", "hub_signature", "routing_key_env", "connect_timeout", "timeout", "deadline",
        "send_resolved", "resend_interval",
    ]
    static let ruleKeys: Set<String> = [
        "name", "metric", "feature", "method", "class", "when", "for", "keep_firing_for", "severity", "labels",
        "annotations", "receivers", "retrain", "min_label_coverage", "baseline_windows", "correction",
    ]
    /// Figures a rule can watch (the `window_metrics` names, plus `volume_ratio`).
    package static let ruleMetrics = Set(WindowMetric.watchable.map(\.rawValue))

    static func readAlerting(_ node: Node, into alerting: inout AlertingConfiguration, _ r: ConfigurationReader) {
        for (key, value, _) in r.mapping(node, "alerting", allowed: alertingKeys) {
            let path = "alerting.\(key)"
            switch key {
            case "receivers":
                alerting.receivers = r.mapping(value, path).compactMap { name, item, _ in
                    readReceiver(name: name, item, "\(path).\(name)", r)
                }
            case "repeat_interval":
                if value.string == "never" {
                    alerting.repeatIntervalSeconds = nil
                } else {
                    alerting.repeatIntervalSeconds = r.duration(value, path) ?? alerting.repeatIntervalSeconds
                }
            case "external_url": alerting.externalURL = r.string(value, path) ?? alerting.externalURL
            case "send_interval": alerting.sendIntervalSeconds = r.duration(value, path) ?? alerting.sendIntervalSeconds
            case "concurrency": alerting.concurrency = r.int(value, path, range: 1...64) ?? alerting.concurrency
            case "max_retry_interval":
                alerting.maxRetryIntervalSeconds = r.duration(value, path) ?? alerting.maxRetryIntervalSeconds
            default: break
            }
        }
    }

    static func readReceiver(
        name: String, _ node: Node, _ path: String, _ r: ConfigurationReader
    ) -> ReceiverConfiguration? {
        let pairs = r.mapping(node, path, allowed: receiverKeys)
        guard let urlNode = pairs.first(where: { $0.key == "url" })?.value, let url = r.string(urlNode, "\(path).url")
        else {
            if case .mapping = node { r.problem(node, path, "url is required") }
            return nil
        }
        if !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            r.problem(urlNode, "\(path).url", "an http:// or https:// URL is expected")
        }
        var receiver = ReceiverConfiguration(name: name, url: url, format: .json)
        for (key, value, _) in pairs {
            let p = "\(path).\(key)"
            switch key {
            case "format": receiver.format = r.choice(value, p, ReceiverFormat.self) ?? receiver.format
            case "secret_env": receiver.secretEnvironment = r.string(value, p)
            case "hub_signature": receiver.hubSignature = r.bool(value, p) ?? receiver.hubSignature
            case "routing_key_env": receiver.routingKeyEnvironment = r.string(value, p)
            case "connect_timeout":
                receiver.connectTimeoutSeconds = r.duration(value, p) ?? receiver.connectTimeoutSeconds
            case "timeout": receiver.timeoutSeconds = r.duration(value, p) ?? receiver.timeoutSeconds
            case "deadline": receiver.deadlineSeconds = r.duration(value, p) ?? receiver.deadlineSeconds
            case "send_resolved": receiver.sendResolved = r.bool(value, p) ?? receiver.sendResolved
            case "resend_interval":
                receiver.resendIntervalSeconds = r.duration(value, p) ?? receiver.resendIntervalSeconds
            default: break
            }
        }
        if receiver.format != .alertmanagerAPI, let node = pairs.first(where: { $0.key == "resend_interval" })?.value {
            r.problem(node, "\(path).resend_interval", "resend_interval applies to alertmanager_api receivers only")
        }
        if receiver.format == .pagerduty && receiver.routingKeyEnvironment == nil {
            r.problem(node, path, "a pagerduty receiver needs routing_key_env (the variable holding the routing key)")
        }
        return receiver
    }

    static func readRules(_ node: Node, _ path: String, _ r: ConfigurationReader) -> [AlertRule] {
        var rules: [AlertRule] = []
        for (i, item) in r.sequence(node, path).enumerated() {
            let itemPath = "\(path)[\(i)]"
            let pairs = r.mapping(item, itemPath, allowed: ruleKeys)
            let values = Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            guard case .mapping = item else { continue }
            var missing: [String] = []
            for key in ["name", "metric", "when"] where values[key] == nil { missing.append(key) }
            if !missing.isEmpty {
                r.problem(item, itemPath, "a rule needs \(missing.joined(separator: ", "))")
                continue
            }
            guard let nameNode = values["name"], let name = r.string(nameNode, "\(itemPath).name"),
                let metricNode = values["metric"], let metric = r.string(metricNode, "\(itemPath).metric"),
                let whenNode = values["when"], let (comparison, threshold) = readWhen(whenNode, "\(itemPath).when", r)
            else { continue }
            if !ruleMetrics.contains(metric) {
                var message = "unknown metric '\(metric)'"
                if let hint = ConfigurationReader.closest(metric, in: ruleMetrics) {
                    message += " (did you mean '\(hint)'?)"
                }
                r.problem(metricNode, "\(itemPath).metric", message)
                continue
            }
            if rules.contains(where: { $0.name == name }) {
                r.problem(nameNode, "\(itemPath).name", "another rule here is named '\(name)'")
            }
            var rule = AlertRule(
                name: name, metric: WindowMetric(rawValue: metric), comparison: comparison, threshold: threshold)
            for (key, value, _) in pairs { readRuleSetting(key, value, "\(itemPath).\(key)", into: &rule, r) }
            if rule.correction != .none && rule.metric != .pValue {
                r.problem(item, "\(itemPath).correction", "a correction applies to p_value rules only")
            }
            rules.append(rule)
        }
        return rules
    }

    /// One optional setting of a rule (`feature`, `method`, `class`, `for`, …) read into `rule`.
    static func readRuleSetting(
        _ key: String, _ value: Node, _ p: String, into rule: inout AlertRule, _ r: ConfigurationReader
    ) {
        switch key {
        case "feature": rule.feature = r.string(value, p)
        case "method": rule.method = r.choice(value, p, DriftMethod.self)?.rawValue
        case "class": rule.classLabel = r.string(value, p)
        case "for": rule.forWindows = r.int(value, p, range: 1...10_000) ?? rule.forWindows
        case "keep_firing_for": rule.keepFiringFor = r.int(value, p, range: 0...10_000) ?? rule.keepFiringFor
        case "severity": rule.severity = r.choice(value, p, AlertSeverity.self) ?? rule.severity
        case "labels": rule.labels = readStringMap(value, p, r)
        case "annotations": rule.annotations = readStringMap(value, p, r)
        case "receivers":
            for (j, v) in r.sequence(value, p).enumerated() {
                guard let receiver = r.string(v, "\(p)[\(j)]") else { continue }
                rule.receivers.append(receiver)
                r.receiverReferences.append((receiver, v, "\(p)[\(j)]"))
            }
        case "retrain": rule.retrain = r.bool(value, p) ?? rule.retrain
        case "min_label_coverage":
            if let v = r.double(value, p) {
                if (0...1).contains(v) {
                    rule.minLabelCoverage = v
                } else {
                    r.problem(value, p, "a share in [0, 1]")
                }
            }
        case "baseline_windows": rule.baselineWindows = r.int(value, p, range: 1...1000) ?? rule.baselineWindows
        case "correction": rule.correction = r.choice(value, p, PValueCorrectionMethod.self) ?? rule.correction
        default: break
        }
    }

    /// `"> 0.2"`, `"<= 0.8"`: a comparison and a number.
    static func readWhen(_ node: Node, _ path: String, _ r: ConfigurationReader) -> (AlertComparison, Double)? {
        guard let text = r.scalarText(node, path, what: "a condition such as '> 0.2'") else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for comparison in [AlertComparison.atLeast, .atMost, .above, .below]
        where trimmed.hasPrefix(comparison.rawValue) {
            let number = trimmed.dropFirst(comparison.rawValue.count).trimmingCharacters(in: .whitespaces)
            if let v = Double(number), v.isFinite { return (comparison, v) }
        }
        r.problem(node, path, "'\(text)' is not a condition (one of >, >=, <, <= and a number, e.g. '> 0.2')")
        return nil
    }

    static func readStringMap(_ node: Node, _ path: String, _ r: ConfigurationReader) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value, _) in r.mapping(node, path) {
            if let text = r.scalarText(value, "\(path).\(key)", what: "a string") { out[key] = text }
        }
        return out
    }

    /// Rules may only name configured receivers (checked once the whole file is read).
    static func checkReceivers(_ config: DriftwatchConfiguration, _ r: ConfigurationReader) {
        let known = Set(config.alerting.receivers.map(\.name))
        for (name, node, path) in r.receiverReferences where !known.contains(name) {
            r.problem(node, path, "no receiver named '\(name)' under alerting.receivers")
        }
    }
}
