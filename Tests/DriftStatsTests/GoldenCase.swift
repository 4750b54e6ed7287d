import Foundation
import Testing

/// One case of the golden corpus (copied from shared/golden; see Fixtures/golden/README.md).
struct GoldenCase: CustomStringConvertible, Sendable {
    let id: String
    let directory: URL

    var description: String { id }

    /// Every case directory under Fixtures/golden.
    static let all: [GoldenCase] = {
        guard let root = Bundle.module.url(forResource: "Fixtures/golden", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: root.path)
        else { return [] }
        return names.sorted().compactMap { name in
            let dir = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("expected.json").path)
            else { return nil }
            return GoldenCase(id: name, directory: dir)
        }
    }()

    static var drift: [GoldenCase] { all.filter { $0.kind == "drift" } }
    static var classification: [GoldenCase] { all.filter { $0.kind.hasPrefix("classification") } }

    var expected: [String: Any] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("expected.json"), encoding: .utf8)) ?? ""
        return GoldenJSON.parse(text) as? [String: Any] ?? [:]
    }

    var kind: String { expected["kind"] as? String ?? "" }

    /// The expected block for one column (`expected.columns.<name>`).
    func column(_ name: String) -> [String: Any] {
        (expected["columns"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    var numericalColumns: [String] { expected["numerical_columns"] as? [String] ?? [] }
    var categoricalColumns: [String] { expected["categorical_columns"] as? [String] ?? [] }

    /// A CSV file of the case as header → column of raw strings (the golden CSVs hold no quotes).
    func csv(_ file: String) -> [String: [String]] {
        let text = (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { return [:] }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var columns = [String: [String]]()
        for name in header { columns[name] = [] }
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            for (i, name) in header.enumerated() where i < cells.count {
                columns[name, default: []].append(String(cells[i]))
            }
        }
        return columns
    }

    func numbers(_ file: String, _ column: String) -> [Double] {
        (csv(file)[column] ?? []).map { Double($0) ?? .nan }
    }

    func strings(_ file: String, _ column: String) -> [String] { csv(file)[column] ?? [] }
}

/// Reads a JSON value as a double; the corpus writes non-finite numbers as "inf", "-inf", "nan".
func goldenDouble(_ value: Any?) -> Double? {
    switch value {
    case let d as Double: return d
    case let i as Int: return Double(i)
    case let s as String:
        switch s {
        case "inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default: return Double(s)
        }
    default: return nil
    }
}

/// Follows a path of keys through nested JSON objects.
func golden(_ object: [String: Any], _ path: String...) -> Any? {
    var current: Any? = object
    for key in path { current = (current as? [String: Any])?[key] }
    return current
}

/// `true` when `actual` is within `relative` of `expected` (relative to max(|expected|, floor)),
/// or within `absolute`; infinities and NaN must match exactly.
func isClose(
    _ actual: Double, _ expected: Double, relative: Double = 1e-12, absolute: Double = 0, floor: Double = 0
)
    -> Bool
{
    if expected.isNaN { return actual.isNaN }
    if expected.isInfinite { return actual == expected }
    let diff = abs(actual - expected)
    return diff <= absolute || diff <= relative * max(abs(expected), floor)
}

/// `#expect` with a message that names the case, the quantity and both values.
func expectClose(
    _ actual: Double, _ expected: Double?, relative: Double = 1e-12, absolute: Double = 0, floor: Double = 0,
    _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let expected else {
        Issue.record("missing expected value for \(what)", sourceLocation: sourceLocation)
        return
    }
    #expect(
        isClose(actual, expected, relative: relative, absolute: absolute, floor: floor),
        "\(what): got \(actual), expected \(expected) (rel \(relative), abs \(absolute))",
        sourceLocation: sourceLocation)
}
