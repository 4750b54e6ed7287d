import DriftCore
import DriftTables

#if canImport(Glibc)
    import Glibc
#endif

/// The columns of a BentoML monitor, read from its schema log: `bentoml.monitor("<name>")` with the
/// default (log file) exporter writes `<log_path>/<name>/schema/schema.<worker>.log`, one JSON line per
/// worker start `{"meta_data": {"bento_name", "bento_version"}, "columns": [{"name", "role", "type"}]}`
/// (roles `feature`, `prediction`, `target`), and `<log_path>/<name>/data/data.<worker>.log`, one JSON
/// object per record: a member per logged column plus `timestamp` (Python's `isoformat()`, without a
/// zone), `request_id` and, in later versions, `trace_id`.
struct BentoMLSchema: Sendable, Equatable {
    /// Column name → role.
    var roles: [String: String] = [:]
    /// Column names in the order first seen.
    var order: [String] = []

    var features: [String] { order.filter { roles[$0] == "feature" } }
    var prediction: String? { order.first { roles[$0] == "prediction" } }
    var target: String? { order.first { roles[$0] == "target" } }

    /// The schema in the monitor directory's `schema/*.log` files (every line, later ones adding columns),
    /// or nil when there is none yet. Blocking: call it on the tailer's I/O thread.
    static func load(monitorDirectory: String) -> BentoMLSchema? {
        let base = monitorDirectory.hasSuffix("/") ? String(monitorDirectory.dropLast()) : monitorDirectory
        var schema = BentoMLSchema()
        for path in FileGlob.paths(base + "/schema/schema.*.log") {
            guard let file = try? TailedFile(path: path), let size = try? file.status().size, size > 0,
                let bytes = try? file.read(at: 0, count: Int(min(size, 1 << 20)))
            else { continue }
            for line in bytes.split(separator: 0x0A) {
                let value = try? line.withUnsafeBufferPointer { b throws(JSONSyntaxError) in try JSONValue.parse(b) }
                guard case .array(let columns)? = value?["columns"] else { continue }
                for column in columns {
                    guard case .string(let name)? = column["name"], case .string(let role)? = column["role"] else {
                        continue
                    }
                    if schema.roles.updateValue(role, forKey: name) == nil { schema.order.append(name) }
                }
            }
        }
        return schema.order.isEmpty ? nil : schema
    }

    /// A data line as Driftwatch's prediction event: `request_id` is the id, `timestamp` the event time
    /// (without a zone it is taken as UTC), feature columns the features, the prediction column the
    /// prediction.
    func predictionEvent(_ line: JSONValue) -> Result<JSONValue, EventProblem> {
        guard case .object(let members) = line else {
            return .failure(.invalid(field: nil, "expected a JSON object"))
        }
        var event: [(String, JSONValue)] = [("id", line["request_id"] ?? .null)]
        event.append(("timestamp", Self.zoned(line["timestamp"])))
        let featureNames = Set(features)
        event.append(("features", .object(members.filter { featureNames.contains($0.0) })))
        if let prediction { event.append(("prediction", line[prediction] ?? .null)) }
        return .success(.object(event))
    }

    /// A data line as Driftwatch's label: `request_id` is the id and the target column the label (a number
    /// is a regression value when `numericTarget`).
    func labelEvent(_ line: JSONValue, numericTarget: Bool) -> Result<JSONValue, EventProblem> {
        guard case .object = line else { return .failure(.invalid(field: nil, "expected a JSON object")) }
        guard let target else {
            return .failure(.invalid(field: nil, "the BentoML schema has no column with role 'target'"))
        }
        let value = line[target] ?? .null
        let key = numericTarget ? "value" : "label"
        return .success(
            .object([("id", line["request_id"] ?? .null), (key, value), ("timestamp", Self.zoned(line["timestamp"]))]))
    }

    /// Python's naive `isoformat()` time as RFC 3339 (UTC); a time with a zone as it is.
    static func zoned(_ value: JSONValue?) -> JSONValue {
        guard case .string(let text)? = value else { return value ?? .null }
        guard let t = text.firstIndex(of: "T") else { return .string(text) }
        let clock = text[text.index(after: t)...]
        if clock.contains(where: { $0 == "Z" || $0 == "z" || $0 == "+" || $0 == "-" }) { return .string(text) }
        return .string(text + "Z")
    }
}
