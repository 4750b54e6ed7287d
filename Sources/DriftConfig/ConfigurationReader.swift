import DriftCore
import Yams

/// Walks a YAML node tree, reading typed values and collecting problems (unknown keys, wrong types,
/// bad values) with their line and column instead of stopping at the first.
final class ConfigurationReader {
    let file: String
    private(set) var problems: [ConfigurationProblem] = []
    /// Receiver names used by rules, checked against `alerting.receivers` at the end.
    var receiverReferences: [(name: String, node: Node, path: String)] = []

    init(file: String) { self.file = file }

    func problem(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        problems.append(
            ConfigurationProblem(
                file: file, line: mark.map { $0.line }, column: mark.map { $0.column }, path: path, message: message))
    }

    /// The pairs of a mapping, in file order; reports a non-mapping, duplicate keys, and keys not in
    /// `allowed` (with the closest known key as a hint). Unknown keys are dropped.
    func mapping(
        _ node: Node, _ path: String, allowed: Set<String>? = nil
    ) -> [(key: String, value: Node, keyNode: Node)] {
        guard case .mapping(let mapping) = node else {
            problem(node, path, "expected a mapping (key: value lines)")
            return []
        }
        var seen = Set<String>()
        var pairs: [(key: String, value: Node, keyNode: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                problem(keyNode, path, "keys must be strings")
                continue
            }
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if !seen.insert(key).inserted {
                problem(keyNode, keyPath, "the key appears twice")
                continue
            }
            if let allowed, !allowed.contains(key) {
                var message = "unknown key '\(key)'"
                if let hint = Self.closest(key, in: allowed) { message += " (did you mean '\(hint)'?)" }
                problem(keyNode, keyPath, message)
                continue
            }
            pairs.append((key, value, keyNode))
        }
        return pairs
    }

    func scalarText(_ node: Node, _ path: String, what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            problem(node, path, "expected \(what)")
            return nil
        }
        return scalar.string
    }

    func string(_ node: Node, _ path: String) -> String? {
        guard let text = scalarText(node, path, what: "a string") else { return nil }
        guard !text.isEmpty else {
            problem(node, path, "must not be empty")
            return nil
        }
        return text
    }

    func int(_ node: Node, _ path: String, range: ClosedRange<Int>) -> Int? {
        guard let text = scalarText(node, path, what: "a whole number"), let value = Int(text.replacingUnderscores)
        else {
            if case .scalar = node { problem(node, path, "expected a whole number") }
            return nil
        }
        guard range.contains(value) else {
            problem(node, path, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return value
    }

    func double(_ node: Node, _ path: String) -> Double? {
        guard let text = scalarText(node, path, what: "a number"), let value = Double(text), value.isFinite else {
            if case .scalar = node { problem(node, path, "expected a finite number") }
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ path: String) -> Bool? {
        guard let text = scalarText(node, path, what: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problem(node, path, "expected true or false")
            return nil
        }
    }

    /// A value of a `RawRepresentable` enum, listing the allowed values when wrong.
    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        guard let text = scalarText(node, path, what: "a string") else { return nil }
        guard let value = T(rawValue: text) else {
            problem(node, path, "'\(text)' is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A duration such as `90s`, `15m`, `1h`, `2d`, `1w` (a unit is required), in seconds, at most
    /// `maximumDurationSeconds`; zero (`0s`) only where `allowZero` says so.
    func duration(_ node: Node, _ path: String, allowZero: Bool = false) -> Int? {
        guard let text = scalarText(node, path, what: "a duration such as 15m or 1h") else { return nil }
        if allowZero, let unit = text.last, "smhdw".contains(unit), Int(text.dropLast()) == 0 { return 0 }
        switch Self.readDuration(text) {
        case .seconds(let seconds):
            return seconds
        case .tooLong:
            problem(node, path, Self.tooLongMessage(text))
            return nil
        case .invalid:
            problem(node, path, "'\(text)' is not a duration (a number with a unit: s, m, h, d or w, e.g. 15m)")
            return nil
        }
    }

    /// The longest duration a configuration may give: 100 years (36500d), so that a duration in µs added to
    /// any timestamp stays far inside Int64 (3.2e15 of 9.2e18 µs).
    static let maximumDurationSeconds = 36_500 * 86_400

    /// What a duration text holds.
    enum DurationText: Equatable {
        case seconds(Int)
        /// A well-formed duration longer than `maximumDurationSeconds` (or past Int).
        case tooLong
        case invalid
    }

    static func tooLongMessage(_ text: String) -> String {
        "'\(text.prefix(40))' is longer than the longest duration allowed, 36500d (100 years)"
    }

    /// `<whole number><s|m|h|d|w>` read with checked arithmetic: seconds, too long, or not a duration.
    static func readDuration(_ text: String) -> DurationText {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last, let factor = units[unit] else { return .invalid }
        let digits = text.dropLast()
        guard let amount = Int(digits) else {
            // Only digits, but more than Int holds: a duration, far too long.
            let allDigits = !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            return allDigits ? .tooLong : .invalid
        }
        guard amount > 0 else { return .invalid }
        let (seconds, overflow) = amount.multipliedReportingOverflow(by: factor)
        return overflow || seconds > maximumDurationSeconds ? .tooLong : .seconds(seconds)
    }

    func sequence(_ node: Node, _ path: String) -> [Node] {
        if case .sequence(let items) = node { return Array(items) }
        problem(node, path, "expected a list")
        return []
    }

    /// The known key nearest to `key` by edit distance (at most 3 edits), for "did you mean" hints.
    static func closest(_ key: String, in known: Set<String>) -> String? {
        let candidates = known.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= 3 }
        return candidates.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension String {
    fileprivate var replacingUnderscores: String { filter { $0 != "_" } }
}
