import DriftCore
import Yams

extension ConfigurationLoader {
    static let retrainKeys: Set<String> = [
        "trainer", "model", "min_labelled_rows", "training_window", "max_rows", "holdout_fraction", "cooldown",
        "metric", "margin", "seed", "search", "threads", "lease", "max_attempts", "command", "receiver", "timeout",
        "env",
    ]

    /// A portable environment variable name: `[A-Za-z_][A-Za-z0-9_]*`.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { c in
            c == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
        }
    }

    /// Reads a `retrain:` mapping over `policy` (the defaults' for a model). `task` (a model's) lets the
    /// model kind and metric be checked against it.
    static func readRetrain(
        _ node: Node, _ path: String, into policy: inout RetrainPolicy, task: ModelTask?, _ r: ConfigurationReader
    ) {
        var trainerName: String?
        var trainerNode: Node?
        var command: [String]?
        var receiver: String?
        for (key, value, _) in r.mapping(node, path, allowed: retrainKeys) {
            let p = "\(path).\(key)"
            switch key {
            case "trainer":
                trainerNode = value
                trainerName = r.string(value, p)
            case "model":
                if let kind = r.string(value, p) {
                    if let known = ModelKind(rawValue: kind) {
                        policy.modelKind = known
                    } else {
                        let names = ModelKind.allCases.map(\.rawValue).joined(separator: ", ")
                        r.problem(value, p, "'\(kind)' is not one of: \(names)")
                    }
                }
            case "min_labelled_rows":
                policy.minLabelledRows = r.int(value, p, range: 10...100_000_000) ?? policy.minLabelledRows
            case "training_window": policy.trainingWindowSeconds = r.duration(value, p) ?? policy.trainingWindowSeconds
            case "max_rows": policy.maxRows = r.int(value, p, range: 100...100_000_000) ?? policy.maxRows
            case "holdout_fraction":
                if let f = r.double(value, p) {
                    if f >= 0.05 && f <= 0.5 {
                        policy.holdoutFraction = f
                    } else {
                        r.problem(value, p, "must be between 0.05 and 0.5")
                    }
                }
            case "cooldown": policy.cooldownSeconds = r.duration(value, p, allowZero: true) ?? policy.cooldownSeconds
            case "metric":
                if let m = r.string(value, p) {
                    if RetrainPolicy.metrics.contains(m) {
                        policy.metric = m
                    } else {
                        r.problem(
                            value, p, "'\(m)' is not one of: \(RetrainPolicy.metrics.sorted().joined(separator: ", "))")
                    }
                }
            case "margin":
                if let m = r.double(value, p) {
                    if m >= 0 { policy.margin = m } else { r.problem(value, p, "must be 0 or more") }
                }
            case "seed": policy.seed = r.int(value, p, range: 0...Int.max).map { UInt64($0) } ?? policy.seed
            case "search":
                if let s = r.string(value, p) {
                    if ["grid", "random", "none"].contains(s) {
                        policy.search = s
                    } else {
                        r.problem(value, p, "'\(s)' is not one of: grid, random, none")
                    }
                }
            case "threads": policy.threads = r.int(value, p, range: 1...256) ?? policy.threads
            case "lease": policy.leaseSeconds = r.duration(value, p) ?? policy.leaseSeconds
            case "max_attempts": policy.maxAttempts = r.int(value, p, range: 1...100) ?? policy.maxAttempts
            case "command":
                if case .scalar = value {
                    command = r.string(value, p).map { [$0] }
                } else {
                    command = r.sequence(value, p).enumerated().compactMap { i, item in r.string(item, "\(p)[\(i)]") }
                }
            case "timeout": policy.timeoutSeconds = r.duration(value, p) ?? policy.timeoutSeconds
            case "env":
                var names: [String] = []
                for (i, item) in r.sequence(value, p).enumerated() {
                    guard let name = r.string(item, "\(p)[\(i)]") else { continue }
                    if Self.isEnvironmentName(name) {
                        if !names.contains(name) { names.append(name) }
                    } else {
                        r.problem(
                            item, "\(p)[\(i)]",
                            "'\(name)' is not an environment variable name (letters, digits and _, not starting with a digit)"
                        )
                    }
                }
                if case .sequence = value { policy.environment = names }
            case "receiver":
                receiver = r.string(value, p)
                if let receiver { r.receiverReferences.append((receiver, value, p)) }
            default: break
            }
        }
        switch trainerName {
        case nil:
            if let command, !command.isEmpty { policy.trainer = .command(command) }
        case "builtin": policy.trainer = .builtin
        case "command":
            if let command, !command.isEmpty {
                policy.trainer = .command(command)
            } else {
                r.problem(
                    trainerNode, "\(path).trainer", "trainer 'command' needs a command (a list: program and arguments)")
            }
        case "webhook":
            if let receiver {
                policy.trainer = .webhook(receiver: receiver)
            } else {
                r.problem(
                    trainerNode, "\(path).trainer",
                    "trainer 'webhook' needs a receiver (a name under alerting.receivers)")
            }
        case let other?:
            r.problem(trainerNode, "\(path).trainer", "'\(other)' is not one of: builtin, command, webhook")
        }
        guard let task else { return }
        if let kind = policy.modelKind, !kind.fits(task) {
            r.problem(node, "\(path).model", "model '\(kind.rawValue)' does not fit a \(task.rawValue) model")
        }
        let regressionMetric = ["mae", "rmse", "r2"].contains(policy.metric)
        if regressionMetric != (task == .regression) {
            r.problem(node, "\(path).metric", "metric '\(policy.metric)' does not fit a \(task.rawValue) model")
        }
    }
}
