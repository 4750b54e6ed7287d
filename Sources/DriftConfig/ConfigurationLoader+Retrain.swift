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
        var trainer = TrainerSettings()
        for (key, value, _) in r.mapping(node, path, allowed: retrainKeys) {
            let p = "\(path).\(key)"
            if readRetrainNumber(key, value, p, into: &policy, r) { continue }
            switch key {
            case "trainer":
                trainer.node = value
                trainer.name = r.string(value, p)
            case "model":
                guard let kind = r.string(value, p) else { break }
                if let known = ModelKind(rawValue: kind) {
                    policy.modelKind = known
                } else {
                    r.problem(
                        value, p,
                        "'\(kind)' is not one of: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            case "metric":
                guard let m = r.string(value, p) else { break }
                if let metric = EvaluationMetric(rawValue: m) {
                    policy.metric = metric
                } else {
                    let names = EvaluationMetric.allCases.map(\.rawValue).sorted()
                    r.problem(value, p, "'\(m)' is not one of: \(names.joined(separator: ", "))")
                }
            case "search":
                guard let s = r.string(value, p) else { break }
                if ["grid", "random", "none"].contains(s) {
                    policy.search = s
                } else {
                    r.problem(value, p, "'\(s)' is not one of: grid, random, none")
                }
            case "command":
                if case .scalar = value {
                    trainer.command = r.string(value, p).map { [$0] }
                } else {
                    trainer.command = r.sequence(value, p).enumerated().compactMap { i, item in
                        r.string(item, "\(p)[\(i)]")
                    }
                }
            case "env":
                let names = readEnvironmentNames(value, p, r)
                if case .sequence = value { policy.environment = names }
            case "receiver":
                trainer.receiver = r.string(value, p)
                if let receiver = trainer.receiver { r.receiverReferences.append((receiver, value, p)) }
            default: break
            }
        }
        trainer.apply(to: &policy, path: path, r)
        if let task { checkRetrain(policy, fits: task, node, path, r) }
    }

    /// Reads the numeric and duration keys of `retrain:`; false when `key` is none of them.
    static func readRetrainNumber(
        _ key: String, _ value: Node, _ p: String, into policy: inout RetrainPolicy, _ r: ConfigurationReader
    ) -> Bool {
        switch key {
        case "min_labelled_rows":
            policy.minLabelledRows = r.int(value, p, range: 10...100_000_000) ?? policy.minLabelledRows
        case "training_window": policy.trainingWindowSeconds = r.duration(value, p) ?? policy.trainingWindowSeconds
        case "max_rows": policy.maxRows = r.int(value, p, range: 100...100_000_000) ?? policy.maxRows
        case "holdout_fraction":
            guard let f = r.double(value, p) else { break }
            if f >= 0.05 && f <= 0.5 {
                policy.holdoutFraction = f
            } else {
                r.problem(value, p, "must be between 0.05 and 0.5")
            }
        case "cooldown": policy.cooldownSeconds = r.duration(value, p, allowZero: true) ?? policy.cooldownSeconds
        case "margin":
            guard let m = r.double(value, p) else { break }
            if m >= 0 { policy.margin = m } else { r.problem(value, p, "must be 0 or more") }
        case "seed": policy.seed = r.int(value, p, range: 0...Int.max).map { UInt64($0) } ?? policy.seed
        case "threads": policy.threads = r.int(value, p, range: 1...256) ?? policy.threads
        case "lease": policy.leaseSeconds = r.duration(value, p) ?? policy.leaseSeconds
        case "max_attempts": policy.maxAttempts = r.int(value, p, range: 1...100) ?? policy.maxAttempts
        case "timeout": policy.timeoutSeconds = r.duration(value, p) ?? policy.timeoutSeconds
        default: return false
        }
        return true
    }

    /// The names of `retrain.env`, each a portable environment variable name, without repeats.
    static func readEnvironmentNames(_ value: Node, _ p: String, _ r: ConfigurationReader) -> [String] {
        var names: [String] = []
        for (i, item) in r.sequence(value, p).enumerated() {
            guard let name = r.string(item, "\(p)[\(i)]") else { continue }
            if Self.isEnvironmentName(name) {
                if !names.contains(name) { names.append(name) }
            } else {
                r.problem(
                    item, "\(p)[\(i)]",
                    "'\(name)' is not an environment variable name (letters, digits and _, not starting with a digit)")
            }
        }
        return names
    }

    /// The model kind and the metric must fit the model's task.
    static func checkRetrain(
        _ policy: RetrainPolicy, fits task: ModelTask, _ node: Node, _ path: String, _ r: ConfigurationReader
    ) {
        if let kind = policy.modelKind, !kind.fits(task) {
            r.problem(node, "\(path).model", "model '\(kind.rawValue)' does not fit a \(task.rawValue) model")
        }
        if policy.metric.isRegression != (task == .regression) {
            r.problem(node, "\(path).metric", "metric '\(policy.metric)' does not fit a \(task.rawValue) model")
        }
    }

    /// `trainer`, `command` and `receiver` as read; they decide the trainer together.
    struct TrainerSettings {
        var name: String?
        var node: Node?
        var command: [String]?
        var receiver: String?

        /// Sets the policy's trainer: a command alone implies `command`; `command` needs a command and
        /// `webhook` a receiver.
        func apply(to policy: inout RetrainPolicy, path: String, _ r: ConfigurationReader) {
            switch name {
            case nil:
                if let command, !command.isEmpty { policy.trainer = .command(command) }
            case "builtin": policy.trainer = .builtin
            case "command":
                if let command, !command.isEmpty {
                    policy.trainer = .command(command)
                } else {
                    r.problem(
                        node, "\(path).trainer", "trainer 'command' needs a command (a list: program and arguments)")
                }
            case "webhook":
                if let receiver {
                    policy.trainer = .webhook(receiver: receiver)
                } else {
                    r.problem(
                        node, "\(path).trainer", "trainer 'webhook' needs a receiver (a name under alerting.receivers)")
                }
            case let other?:
                r.problem(node, "\(path).trainer", "'\(other)' is not one of: builtin, command, webhook")
            }
        }
    }
}
