import DriftCore
import Yams

extension ConfigurationLoader {
    static let cloudEventKeys: Set<String> = ["inference_service", "namespace", "inputs", "outputs", "pair_timeout"]
    static let cloudEventInputKeys: Set<String> = ["tensor", "columns"]
    static let cloudEventOutputKeys: Set<String> = ["prediction", "scores", "kind", "classes"]

    /// Reads `models.<name>.cloudevents`: which CloudEvents are the model's (`inference_service`,
    /// `namespace`), where its features are (`inputs.tensor`, `inputs.columns`: a list of feature names in
    /// column order, `~` skipping a column, or a mapping of column index to feature), what its outputs are
    /// (`outputs.prediction`, `outputs.scores`, `outputs.kind`, `outputs.classes`), and how long a half
    /// waits for its partner (`pair_timeout`). Column names must be features of the model.
    static func readCloudEvents(
        _ node: Node, _ path: String, into mapping: inout CloudEventMapping, features: [FeatureConfiguration]?,
        task: ModelTask?, _ r: ConfigurationReader
    ) {
        for (key, value, _) in r.mapping(node, path, allowed: cloudEventKeys) {
            let p = "\(path).\(key)"
            switch key {
            case "inference_service": mapping.inferenceService = r.string(value, p) ?? mapping.inferenceService
            case "namespace": mapping.namespace = r.string(value, p) ?? mapping.namespace
            case "pair_timeout": mapping.pairTimeoutSeconds = r.duration(value, p) ?? mapping.pairTimeoutSeconds
            case "inputs":
                for (inputKey, item, _) in r.mapping(value, p, allowed: cloudEventInputKeys) {
                    let ip = "\(p).\(inputKey)"
                    if inputKey == "tensor" { mapping.inputs.tensor = r.string(item, ip) }
                    if inputKey == "columns" {
                        mapping.inputs.columns = readColumns(item, ip, features: features, r)
                    }
                }
            case "outputs":
                for (outputKey, item, _) in r.mapping(value, p, allowed: cloudEventOutputKeys) {
                    let op = "\(p).\(outputKey)"
                    switch outputKey {
                    case "prediction": mapping.outputs.prediction = r.string(item, op)
                    case "scores": mapping.outputs.scores = r.string(item, op)
                    case "kind":
                        mapping.outputs.kind = r.choice(item, op, CloudEventMapping.OutputKind.self) ?? .auto
                        if task == .regression && mapping.outputs.kind != .auto && mapping.outputs.kind != .prediction {
                            r.problem(item, op, "'\(mapping.outputs.kind.rawValue)' does not fit a regression model")
                        }
                    case "classes":
                        let items = r.sequence(item, op)
                        let classes = items.enumerated().compactMap { i, c in r.string(c, "\(op)[\(i)]") }
                        if classes.count == items.count {
                            if Set(classes).count != classes.count {
                                r.problem(item, op, "a class is named twice")
                            } else if classes.isEmpty {
                                r.problem(item, op, "at least one class is needed")
                            } else {
                                mapping.outputs.classes = classes
                            }
                        }
                    default: break
                    }
                }
            default: break
            }
        }
    }

    /// `[a, b, ~, c]` (column order, `~` skips) or `{0: a, 1: b, 3: c}` (index → feature).
    static func readColumns(
        _ node: Node, _ path: String, features: [FeatureConfiguration]?, _ r: ConfigurationReader
    ) -> [String?]? {
        let known = features.map { Set($0.map(\.name)) }
        var columns: [String?] = []
        var nodes: [Node?] = []
        switch node {
        case .sequence(let items):
            for (i, item) in items.enumerated() {
                if case .scalar(let s) = item, s.tag == Tag(.null) || s.string == "~" || s.string.isEmpty {
                    columns.append(nil)
                } else {
                    guard let name = r.string(item, "\(path)[\(i)]") else { return nil }
                    columns.append(name)
                }
                nodes.append(item)
            }
        case .mapping:
            var byIndex: [Int: (String, Node)] = [:]
            for (key, value, keyNode) in r.mapping(node, path) {
                guard let index = Int(key), index >= 0, index < 100_000 else {
                    r.problem(keyNode, "\(path).\(key)", "a column index is a whole number from 0")
                    return nil
                }
                guard let name = r.string(value, "\(path).\(key)") else { return nil }
                byIndex[index] = (name, value)
            }
            let width = (byIndex.keys.max() ?? -1) + 1
            for i in 0..<width {
                columns.append(byIndex[i]?.0)
                nodes.append(byIndex[i]?.1)
            }
        default:
            r.problem(node, path, "expected a list of feature names in column order, or a mapping of index to feature")
            return nil
        }
        guard columns.contains(where: { $0 != nil }) else {
            r.problem(node, path, "no column is mapped to a feature")
            return nil
        }
        var seen = Set<String>()
        var ok = true
        for (name, item) in zip(columns, nodes) {
            guard let name else { continue }
            if let known, !known.contains(name) {
                var message = "'\(name)' is not a feature of this model"
                if let hint = ConfigurationReader.closest(name, in: known) { message += " (did you mean '\(hint)'?)" }
                r.problem(item ?? node, path, message)
                ok = false
            } else if !seen.insert(name).inserted {
                r.problem(item ?? node, path, "feature '\(name)' is mapped to two columns")
                ok = false
            }
        }
        return ok ? columns : nil
    }
}

extension ConfigurationLoader {
    /// Two models may not claim the same CloudEvents (the same `inference_service` — by default the model's
    /// name — in the same or an unrestricted namespace).
    static func checkCloudEventServices(
        _ models: some Sequence<(ModelConfiguration, Node)>, _ modelsNode: Node, _ r: ConfigurationReader
    ) {
        var claimed: [String: [(model: String, namespace: String?)]] = [:]
        for (model, keyNode) in models {
            let mapping = model.cloudEvents
            let service = mapping.inferenceService ?? model.name
            let clash = claimed[service, default: []].first { other in
                other.namespace == nil || mapping.namespace == nil || other.namespace == mapping.namespace
            }
            if let clash {
                var node = keyNode
                if let own = modelsNode.mapping?[model.name]?.mapping?["cloudevents"]?.mapping?["inference_service"] {
                    node = own
                }
                r.problem(
                    node, "models.\(model.name).cloudevents.inference_service",
                    "model '\(clash.model)' already takes the CloudEvents of inference service '\(service)'"
                        + " (give each a different inference_service or namespace)")
            }
            claimed[service, default: []].append((model.name, mapping.namespace))
        }
    }
}
