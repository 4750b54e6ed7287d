import DriftCore
import DriftTables
import Foundation

/// One notification the demo's receiver got (the agent's `json` format: `{"type", "timestamp", "data"}`),
/// with the one line it is printed as.
struct DemoNotification: Sendable {
    /// `alert.firing`, `alert.resolved`, `alert.reminder`, `retrain.completed`, `retrain.failed`, …
    let type: String
    /// The alert's rule, or the rule (or `manual`) that queued a retraining job.
    let rule: String
    let line: String

    init(_ body: JSONValue) {
        let data = body["data"] ?? .null
        type = Self.string(body["type"]) ?? "unknown"
        if type.hasPrefix("retrain.") {
            rule = Self.string(data["reason"]) ?? "?"
            line = Self.retrainLine(type: type, data)
        } else {
            rule = Self.string(data["rule"]) ?? "?"
            line = Self.alertLine(type: type, rule: rule, data)
        }
    }

    /// `alert.firing     car_value_drift [warning]: 1.862 > 0.2 in the week 2019-04-11 → 2019-04-18`
    static func alertLine(type: String, rule: String, _ data: JSONValue) -> String {
        let figure = data["figure"] ?? .null
        var text = "webhook ◂ " + type.padding(toLength: 18, withPad: " ", startingAt: 0) + rule
        if let severity = string(data["severity"]) { text += " [\(severity)]" }
        if let value = number(figure["value"]), let comparison = string(figure["comparison"]),
            let threshold = number(figure["threshold"])
        {
            text +=
                type == "alert.resolved"
                ? ": \(format(value)), no longer \(comparison) \(format(threshold))"
                : ": \(format(value)) \(comparison) \(format(threshold))"
        }
        if let start = string(figure["window_start"]), let end = string(figure["window_end"]) {
            text += " in the week \(start.prefix(10)) → \(end.prefix(10))"
        }
        return text
    }

    /// `retrain.completed job 1 (f1_low): promoted v2 — f1 0.934 vs champion v1 0.905 on 991 held-out rows …`
    static func retrainLine(type: String, _ data: JSONValue) -> String {
        var text = "webhook ◂ " + type.padding(toLength: 18, withPad: " ", startingAt: 0)
        text += "job \(number(data["job_id"]).map { String(Int($0)) } ?? "?") (\(string(data["reason"]) ?? "?"))"
        if let error = string(data["error"]) { return text + ": failed — \(error)" }
        let result = data["result"] ?? .null
        return text + ": " + decision(result)
    }

    /// A job result's decision in words (shared with the summary).
    static func decision(_ result: JSONValue) -> String {
        let metric = string(result["metric"]) ?? "score"
        let challenger = number(result["challenger"]).map { String(format: "%.4f", $0) } ?? "?"
        let champion = number(result["champion"]).map { String(format: "%.4f", $0) } ?? "none"
        let championVersion = number(result["champion_version"]).map { "v\(Int($0))" } ?? "champion"
        let version = number(result["version"]).map { "v\(Int($0))" } ?? "the challenger"
        let holdout = number(result["holdout_rows"]).map { DemoDriver.count(Int($0)) } ?? "?"
        let training = number(result["training_rows"]).map { DemoDriver.count(Int($0)) } ?? "?"
        let from = (string(result["trained_from"]) ?? "?").prefix(10)
        let to = (string(result["trained_to"]) ?? "?").prefix(10)
        let verdict =
            string(result["decision"]) == "promoted"
            ? "promoted \(version)" : "kept \(championVersion) (challenger \(version) rejected)"
        return
            "\(verdict) — \(metric) \(challenger) (challenger) vs \(champion) (\(championVersion)) on the newest \(holdout) labelled rows; trained on \(training) rows \(from) → \(to)"
    }

    static func string(_ v: JSONValue?) -> String? {
        if case .string(let s)? = v { return s }
        return nil
    }

    static func number(_ v: JSONValue?) -> Double? {
        if case .number(let n)? = v { return n }
        return nil
    }

    /// Three decimals at most, no trailing zeros.
    static func format(_ v: Double) -> String {
        var s = String(format: "%.3f", v)
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s
    }
}

/// What the demo's receiver got, in order, each delivery once (a retried delivery repeats its `webhook-id`).
actor DemoInbox {
    private(set) var notifications: [DemoNotification] = []
    private var seen: Set<String> = []

    /// Adds a notification; false when its webhook id was seen already.
    func add(_ notification: DemoNotification, webhookID: String?) -> Bool {
        if let webhookID, !seen.insert(webhookID).inserted { return false }
        notifications.append(notification)
        return true
    }
}
