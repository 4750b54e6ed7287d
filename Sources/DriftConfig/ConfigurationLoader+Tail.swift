import DriftCore
import Yams

extension ConfigurationLoader {
    static let tailKeys: Set<String> = ["path", "kind", "format"]

    /// Reads a model's `tail:` list. Each item is a path or glob (predictions in Driftwatch's format) or a
    /// mapping `{path, kind: predictions | labels, format: driftwatch | bentoml}`. The same path and kind
    /// twice is an error (one would compete with the other for every line).
    static func readTail(_ node: Node, _ path: String, _ r: ConfigurationReader) -> [TailSource] {
        var sources: [TailSource] = []
        var seen = Set<String>()
        for (i, item) in r.sequence(node, path).enumerated() {
            let p = "\(path)[\(i)]"
            var source: TailSource?
            if case .scalar = item {
                source = r.string(item, p).map { TailSource(path: $0) }
            } else {
                source = readTailSource(item, p, r)
            }
            guard let source else { continue }
            if !seen.insert("\(source.kind.rawValue) \(source.path)").inserted {
                r.problem(item, p, "'\(source.path)' is already followed for \(source.kind.rawValue)")
                continue
            }
            sources.append(source)
        }
        return sources
    }

    static func readTailSource(_ node: Node, _ path: String, _ r: ConfigurationReader) -> TailSource? {
        var filePath: String?
        var kind = TailSource.Kind.predictions
        var format = TailSource.Format.driftwatch
        let pairs = r.mapping(node, path, allowed: tailKeys)
        for (key, value, _) in pairs {
            let p = "\(path).\(key)"
            switch key {
            case "path": filePath = r.string(value, p)
            case "kind": kind = r.choice(value, p, TailSource.Kind.self) ?? kind
            case "format": format = r.choice(value, p, TailSource.Format.self) ?? format
            default: break
            }
        }
        if case .mapping = node, !pairs.contains(where: { $0.key == "path" }) {
            r.problem(node, "\(path).path", "path is required (a file, a glob, or for bentoml a monitor's directory)")
        }
        guard let filePath else { return nil }
        if format == .bentoml && filePath.contains(where: { "*?[".contains($0) }) {
            r.problem(
                node, "\(path).path",
                "for format bentoml, path is the monitor's directory (<log_path>/<monitor name>), not a glob")
            return nil
        }
        return TailSource(path: filePath, kind: kind, format: format)
    }
}
