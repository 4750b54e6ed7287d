import DriftCore
import DriftStats
import DriftTables
import Yams

/// Reads the agent's YAML configuration. Unknown keys, wrong types and bad values are errors that name
/// the key path, line and column; every problem in the file is reported at once. Secrets never live in
/// the file: it names the environment variables (or files) that hold them.
package enum ConfigurationLoader {
    static let topKeys: Set<String> = ["server", "auth", "database", "defaults", "models", "alerting"]
    static let serverKeys: Set<String> = [
        "host", "port", "max_body_bytes", "max_buffered_body_bytes", "max_line_bytes", "window_check_interval",
        "max_future_skew", "idle_timeout", "read_timeout", "max_new_partitions_per_request",
    ]
    static let authKeys: Set<String> = ["enabled", "tokens"]
    static let databaseKeys: Set<String> = ["url_env", "state_dir", "migrate_on_start", "pool_size", "max_waiting"]
    static let defaultsKeys: Set<String> = [
        "window", "allowed_lateness", "retention", "auto_register", "drift", "rules", "retrain",
    ]
    static let modelKeys: Set<String> = [
        "task", "features", "window", "allowed_lateness", "retention", "reference", "drift", "rules", "retrain",
        "cloudevents",
        "tail",
    ]
    static let driftKeys: Set<String> = [
        "numeric_methods", "categorical_methods", "binning", "bins", "thresholds", "max_categories",
    ]

    /// Parses `yaml` (the text of `file`, named in problems).
    package static func load(yaml: String, file: String) throws(ConfigurationError) -> DriftwatchConfiguration {
        let reader = ConfigurationReader(file: file)
        var config = DriftwatchConfiguration()
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(.yamlSyntax, problems: [yamlProblem(error, file: file)], underlying: error)
        }
        guard let root else { return config }  // an empty file: every default
        for (key, value, _) in reader.mapping(root, "", allowed: topKeys) {
            switch key {
            case "server": readServer(value, into: &config.server, reader)
            case "auth": readAuth(value, into: &config.auth, reader)
            case "database": readDatabase(value, into: &config.database, reader)
            case "defaults": readDefaults(value, into: &config.defaults, reader)
            case "alerting": readAlerting(value, into: &config.alerting, reader)
            default: break
            }
        }
        // Models last: they start from the defaults, wherever `defaults` stands in the file.
        if let models = reader.mapping(root, "", allowed: topKeys).first(where: { $0.key == "models" }) {
            var nodes: [Node] = []
            for (name, value, keyNode) in reader.mapping(models.value, "models") {
                if let model = readModel(name: name, value, keyNode: keyNode, defaults: config.defaults, reader) {
                    config.models.append(model)
                    nodes.append(keyNode)
                }
            }
            checkCloudEventServices(zip(config.models, nodes), models.value, reader)
        }
        checkReceivers(config, reader)
        let problems = reader.problems.reduce(into: [ConfigurationProblem]()) { unique, p in
            if !unique.contains(p) { unique.append(p) }
        }
        if !problems.isEmpty { throw ConfigurationError(.invalidSettings, problems: problems) }
        return config
    }

    /// A YAML syntax error as a problem with its place.
    static func yamlProblem(_ error: any Error, file: String) -> ConfigurationProblem {
        func problem(_ mark: Mark?, _ message: String) -> ConfigurationProblem {
            ConfigurationProblem(file: file, line: mark?.line, column: mark?.column, path: "", message: message)
        }
        switch error as? YamlError {
        case .scanner(_, let text, let mark, _)?, .parser(_, let text, let mark, _)?,
            .composer(_, let text, let mark, _)?:
            return problem(mark, "not valid YAML: \(text)")
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return problem(context.mark, "a key appears twice in this mapping: \(keys)")
        default:
            return problem(nil, "not valid YAML: \(error)")
        }
    }

    static func readServer(_ node: Node, into server: inout ServerConfiguration, _ r: ConfigurationReader) {
        for (key, value, _) in r.mapping(node, "server", allowed: serverKeys) {
            let path = "server.\(key)"
            switch key {
            case "host": server.host = r.string(value, path) ?? server.host
            case "port": server.port = r.int(value, path, range: 0...65535) ?? server.port
            case "max_body_bytes":
                server.maxBodyBytes = r.int(value, path, range: 1024...(1 << 40)) ?? server.maxBodyBytes
            case "max_line_bytes":
                server.maxLineBytes = r.int(value, path, range: 256...(1 << 30)) ?? server.maxLineBytes
            case "window_check_interval":
                server.windowCheckSeconds = r.duration(value, path) ?? server.windowCheckSeconds
            case "max_buffered_body_bytes":
                server.maxBufferedBodyBytes =
                    r.int(value, path, range: 1024...(1 << 34)) ?? server.maxBufferedBodyBytes
            case "max_future_skew":
                server.maxFutureSkewSeconds = r.duration(value, path, allowZero: true) ?? server.maxFutureSkewSeconds
            case "idle_timeout": server.idleTimeoutSeconds = r.duration(value, path) ?? server.idleTimeoutSeconds
            case "read_timeout": server.readTimeoutSeconds = r.duration(value, path) ?? server.readTimeoutSeconds
            case "max_new_partitions_per_request":
                server.maxNewPartitionsPerRequest =
                    r.int(value, path, range: 1...100_000) ?? server.maxNewPartitionsPerRequest
            default: break
            }
        }
    }

    static func readAuth(_ node: Node, into auth: inout AuthConfiguration, _ r: ConfigurationReader) {
        for (key, value, _) in r.mapping(node, "auth", allowed: authKeys) {
            switch key {
            case "enabled": auth.enabled = r.bool(value, "auth.enabled") ?? auth.enabled
            case "tokens":
                var sources: [TokenSource] = []
                for (i, item) in r.sequence(value, "auth.tokens").enumerated() {
                    let path = "auth.tokens[\(i)]"
                    let pairs = r.mapping(item, path, allowed: ["env", "file"])
                    guard pairs.count == 1, let pair = pairs.first else {
                        if !pairs.isEmpty { r.problem(item, path, "give either env or file") }
                        continue
                    }
                    if let text = r.string(pair.value, "\(path).\(pair.key)") {
                        sources.append(pair.key == "env" ? .environment(text) : .file(text))
                    }
                }
                auth.tokenSources = sources
            default: break
            }
        }
        if auth.enabled && auth.tokenSources.isEmpty {
            r.problem(node, "auth.tokens", "authentication is enabled but no token source is given")
        }
    }

    static func readDatabase(_ node: Node, into database: inout DatabaseConfiguration, _ r: ConfigurationReader) {
        for (key, value, _) in r.mapping(node, "database", allowed: databaseKeys) {
            let path = "database.\(key)"
            switch key {
            case "url_env": database.urlEnvironment = r.string(value, path) ?? database.urlEnvironment
            case "state_dir": database.stateDirectory = r.string(value, path) ?? database.stateDirectory
            case "migrate_on_start": database.migrateOnStart = r.bool(value, path) ?? database.migrateOnStart
            case "pool_size": database.poolSize = r.int(value, path, range: 1...256) ?? database.poolSize
            case "max_waiting": database.maxWaiting = r.int(value, path, range: 0...100_000) ?? database.maxWaiting
            default: break
            }
        }
    }

    static func readDefaults(_ node: Node, into defaults: inout ModelDefaults, _ r: ConfigurationReader) {
        for (key, value, _) in r.mapping(node, "defaults", allowed: defaultsKeys) {
            let path = "defaults.\(key)"
            switch key {
            case "window": defaults.window = readWindow(value, path, r) ?? defaults.window
            case "allowed_lateness":
                defaults.allowedLatenessSeconds =
                    r.duration(value, path, allowZero: true) ?? defaults.allowedLatenessSeconds
            case "retention": defaults.retentionDays = readRetention(value, path, r) ?? defaults.retentionDays
            case "auto_register": defaults.autoRegister = r.bool(value, path) ?? defaults.autoRegister
            case "drift": readDrift(value, path, into: &defaults.drift, r)
            case "rules": defaults.rules = readRules(value, path, r)
            case "retrain": readRetrain(value, path, into: &defaults.retrain, task: nil, r)
            default: break
            }
        }
    }

    static func readModel(
        name: String, _ node: Node, keyNode: Node, defaults: ModelDefaults, _ r: ConfigurationReader
    ) -> ModelConfiguration? {
        let base = "models.\(name)"
        let pairs = r.mapping(node, base, allowed: modelKeys)
        var task: ModelTask?
        var features: [FeatureConfiguration]?
        var model = ModelConfiguration(name: name, task: .binary, features: [], defaults: defaults)
        var retrainNode: (Node, String)?
        var cloudEventsNode: (Node, String)?
        for (key, value, _) in pairs {
            let path = "\(base).\(key)"
            switch key {
            case "task": task = r.choice(value, path, ModelTask.self)
            case "features": features = readFeatures(value, path, r)
            case "window": model.window = readWindow(value, path, r) ?? model.window
            case "allowed_lateness":
                model.allowedLatenessSeconds = r.duration(value, path, allowZero: true) ?? model.allowedLatenessSeconds
            case "retention": model.retentionDays = readRetention(value, path, r) ?? model.retentionDays
            case "reference": model.reference = readReference(value, path, r) ?? model.reference
            case "drift": readDrift(value, path, into: &model.drift, r)
            case "rules":
                let own = readRules(value, path, r)
                let names = Set(own.map(\.name))
                model.rules = defaults.rules.filter { !names.contains($0.name) } + own
            case "retrain": retrainNode = (value, path)
            case "cloudevents": cloudEventsNode = (value, path)
            case "tail": model.tail = readTail(value, path, r)
            default: break
            }
        }
        // A regression model compares RMSE unless told otherwise (f1 is the classification default).
        if task == .regression && model.retrain.metric == RetrainPolicy().metric { model.retrain.metric = .rmse }
        if let (value, path) = retrainNode {
            readRetrain(value, path, into: &model.retrain, task: task, r)
        } else if let task, model.retrain.metric.isRegression != (task == .regression) {
            r.problem(
                keyNode, "\(base).retrain.metric",
                "metric '\(model.retrain.metric)' (from defaults.retrain) does not fit a \(task.rawValue) model")
        }
        if case .mapping = node {
            if !pairs.contains(where: { $0.key == "task" }) {
                r.problem(keyNode, base, "task is required (binary, multiclass or regression)")
            }
            if !pairs.contains(where: { $0.key == "features" }) {
                r.problem(keyNode, base, "features are required (name: numeric | categorical)")
            }
        }
        if let (value, path) = cloudEventsNode {
            readCloudEvents(value, path, into: &model.cloudEvents, features: features, task: task, r)
        }
        guard let task, let features else { return nil }
        model.task = task
        model.features = features
        return model
    }

    static func readFeatures(_ node: Node, _ path: String, _ r: ConfigurationReader) -> [FeatureConfiguration]? {
        var features: [FeatureConfiguration] = []
        for (name, value, _) in r.mapping(node, path) {
            let featurePath = "\(path).\(name)"
            if case .scalar = value {
                if let type = r.choice(value, featurePath, ColumnType.self) {
                    features.append(FeatureConfiguration(name: name, type: type))
                }
                continue
            }
            var type: ColumnType?
            var methods: [DriftMethod]?
            for (key, item, _) in r.mapping(value, featurePath, allowed: ["type", "methods"]) {
                if key == "type" { type = r.choice(item, "\(featurePath).type", ColumnType.self) }
                if key == "methods" { methods = readMethods(item, "\(featurePath).methods", r) }
            }
            guard let type else {
                if case .mapping = value { r.problem(value, featurePath, "type is required (numeric or categorical)") }
                continue
            }
            if let methods {
                for m in methods where !m.applies(to: type) {
                    r.problem(
                        value, "\(featurePath).methods", "\(m.rawValue) does not apply to a \(type.rawValue) feature")
                }
            }
            features.append(FeatureConfiguration(name: name, type: type, methods: methods))
        }
        if features.isEmpty, case .mapping = node { r.problem(node, path, "at least one feature is needed") }
        return features
    }

    /// `1h` (a duration) or `5000` (a number of events).
    static func readWindow(_ node: Node, _ path: String, _ r: ConfigurationReader) -> WindowSpecification? {
        guard let text = r.scalarText(node, path, what: "a duration (1h) or a number of events (5000)") else {
            return nil
        }
        if let events = Int(text), events > 0 { return .events(events) }
        switch ConfigurationReader.readDuration(text) {
        case .seconds(let seconds): return .duration(seconds: seconds)
        case .tooLong:
            r.problem(node, path, ConfigurationReader.tooLongMessage(text))
            return nil
        case .invalid: break
        }
        r.problem(node, path, "'\(text)' is neither a duration (e.g. 1h) nor a number of events (e.g. 5000)")
        return nil
    }

    static func readRetention(_ node: Node, _ path: String, _ r: ConfigurationReader) -> Int? {
        guard let seconds = r.duration(node, path) else { return nil }
        guard seconds % 86_400 == 0 else {
            r.problem(node, path, "retention is kept in whole days (e.g. 30d)")
            return nil
        }
        return seconds / 86_400
    }

    static func readReference(_ node: Node, _ path: String, _ r: ConfigurationReader) -> ReferenceSpecification? {
        let pairs = r.mapping(node, path, allowed: ["file", "first_events", "from", "to"])
        let keys = Set(pairs.map(\.key))
        if keys == ["file"], let text = r.string(pairs[0].value, "\(path).file") { return .file(text) }
        if keys == ["first_events"], let n = r.int(pairs[0].value, "\(path).first_events", range: 1...100_000_000) {
            return .firstEvents(n)
        }
        if keys == ["from", "to"] {
            let values = Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) })
            if let fromNode = values["from"], let toNode = values["to"], let from = r.string(fromNode, "\(path).from"),
                let to = r.string(toNode, "\(path).to")
            {
                return .timeRange(from: from, to: to)
            }
            return nil
        }
        if case .mapping = node, !pairs.isEmpty || keys.isEmpty {
            r.problem(node, path, "give one of: file, first_events, or from + to")
        }
        return nil
    }

    static func readDrift(_ node: Node, _ path: String, into drift: inout DriftSettings, _ r: ConfigurationReader) {
        for (key, value, _) in r.mapping(node, path, allowed: driftKeys) {
            let itemPath = "\(path).\(key)"
            switch key {
            case "numeric_methods":
                if let methods = readMethods(value, itemPath, r) {
                    for m in methods where !m.applies(to: .numeric) {
                        r.problem(value, itemPath, "\(m.rawValue) does not apply to numeric features")
                    }
                    drift.numericMethods = methods
                }
            case "categorical_methods":
                if let methods = readMethods(value, itemPath, r) {
                    for m in methods where !m.applies(to: .categorical) {
                        r.problem(value, itemPath, "\(m.rawValue) does not apply to categorical features")
                    }
                    drift.categoricalMethods = methods
                }
            case "binning": drift.binning = r.choice(value, itemPath, BinningMode.self) ?? drift.binning
            case "bins": drift.bins = r.int(value, itemPath, range: 2...1000) ?? drift.bins
            case "max_categories":
                drift.maxCategories = r.int(value, itemPath, range: 2...10_000_000) ?? drift.maxCategories
            case "thresholds":
                for (name, item, keyNode) in r.mapping(value, itemPath) {
                    guard let method = DriftMethod(rawValue: name) else {
                        r.problem(
                            keyNode, "\(itemPath).\(name)",
                            "unknown method (known: \(DriftMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
                        continue
                    }
                    if let v = r.double(item, "\(itemPath).\(name)") { drift.thresholds[method] = v }
                }
            default: break
            }
        }
    }

    static func readMethods(_ node: Node, _ path: String, _ r: ConfigurationReader) -> [DriftMethod]? {
        let items = r.sequence(node, path)
        let methods = items.enumerated().compactMap { i, item in r.choice(item, "\(path)[\(i)]", DriftMethod.self) }
        return methods.count == items.count ? methods : nil
    }
}
