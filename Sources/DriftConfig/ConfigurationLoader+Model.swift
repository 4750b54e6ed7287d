import DriftCore
import Yams

extension ConfigurationLoader {
    /// Parses one model's settings — the mapping a YAML file has under `models.<name>`, given as YAML or
    /// JSON (e.g. the body of `PUT /v1/models/{model}`) — starting from `defaults`. Problems name their
    /// line and column in `text` and the key path (`models.<name>.…`).
    package static func loadModel(
        name: String, text: String, source: String, defaults: ModelDefaults
    ) throws(ConfigurationError) -> ModelConfiguration {
        let reader = ConfigurationReader(file: source)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(.yamlSyntax, problems: [yamlProblem(error, file: source)], underlying: error)
        }
        guard let root else {
            throw ConfigurationError(
                .invalidSettings,
                problems: [
                    ConfigurationProblem(
                        file: source, line: nil, column: nil, path: "models.\(name)",
                        message: "the model's settings are empty (task and features are required)")
                ])
        }
        let model = readModel(name: name, root, keyNode: root, defaults: defaults, reader)
        if let model, !model.tail.isEmpty {
            // Settings sent over the API must not make the agent read files on its host.
            reader.problem(root, "models.\(name).tail", "log files to follow are set in the configuration file only")
        }
        if let problem = reader.problems.first {
            throw ConfigurationError(
                .invalidSettings, problems: [problem] + reader.problems.dropFirst().filter { $0 != problem })
        }
        guard let model else {
            throw ConfigurationError(
                .invalidSettings,
                problems: [
                    ConfigurationProblem(
                        file: source, line: 1, column: 1, path: "models.\(name)",
                        message: "a mapping of settings is expected")
                ])
        }
        return model
    }

    /// True for names usable in URLs and as Prometheus label values: 1–100 of `A–Z a–z 0–9 _ . -`.
    package static func isValidModelName(_ name: String) -> Bool {
        (1...100).contains(name.utf8.count)
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
                    || c == 0x2E || c == 0x2D
            }
    }
}
