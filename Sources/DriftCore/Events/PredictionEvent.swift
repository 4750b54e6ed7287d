import DriftTables

/// One prediction event, decoded and checked against its model's schema.
package struct PredictionEvent: Sendable, Equatable {
    package var id: String
    /// Event time, microseconds since the Unix epoch (UTC).
    package var timestamp: Int64
    /// Numeric features in the order of the model's numeric features; nil is missing.
    package var numeric: [Double?]
    /// Categorical features in the order of the model's categorical features; nil is missing.
    package var categorical: [String?]
    package var prediction: String?
    package var score: Double?
    /// Class probabilities in the order of `scoreLabels`.
    package var scores: [Double]?
    package var scoreLabels: [String]?
    package var latencyMilliseconds: Double?
    package var modelVersion: String?
}

/// Why one event was rejected: the kind, the field and the reason.
package struct EventProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem; a closed set. `not_json`: the event (or its envelope) is not JSON; `missing_field`: A
    /// required field is absent; `invalid_value`: a field of the wrong type or shape; `invalid_timestamp`: A
    /// timestamp that is not RFC 3339 within the years 0001–9999; `unstorable`: a value PostgreSQL cannot hold (a NUL
    /// character); `outside_window`: dated beyond the allowed clock skew or before the model's retention;
    /// `too_many_partitions`: the request would create more new daily partitions than allowed; `refused`: the
    /// database refused the event's data.
    package enum Code: String, Sendable, CustomStringConvertible {
        case notJSON = "not_json", missingField = "missing_field", invalidValue = "invalid_value"
        case invalidTimestamp = "invalid_timestamp", unstorable, outsideWindow = "outside_window"
        case tooManyPartitions = "too_many_partitions", refused
        package var description: String { rawValue }
    }

    package let code: Code
    /// The field concerned (a path such as `features.age`), if any.
    package let field: String?
    package let message: String

    package init(_ code: Code, field: String?, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// `field: message` (the field part only when there is one).
    package var description: String { field.map { "\($0): \(message)" } ?? message }

    /// A field of the wrong type or shape (`invalid_value`).
    package static func invalid(field: String?, _ message: String) -> EventProblem {
        EventProblem(.invalidValue, field: field, message)
    }

    /// A required field that is absent (`missing_field`).
    package static func missing(field: String?, _ message: String) -> EventProblem {
        EventProblem(.missingField, field: field, message)
    }

    /// A NUL character (U+0000) in `text`: postgreSQL text cannot hold one, so the line is refused.
    package static func nul(in text: String, field: String) -> EventProblem? {
        text.utf8.contains(0)
            ? EventProblem(.unstorable, field: field, "contains a NUL character (U+0000), which cannot be stored") : nil
    }

    /// A timestamp that is not RFC 3339 or falls outside the years 0001–9999 once its offset is applied.
    package static func timestamp(_ stamp: String) -> EventProblem {
        EventProblem(
            .invalidTimestamp, field: "timestamp",
            "'\(stamp.prefix(40))' is not an RFC 3339 timestamp within the years 0001–9999 (after its offset)")
    }
}

/// Decodes prediction events (`{"id", "timestamp", "features": {...}, "prediction", "score" | "scores",
/// "latency_ms", "model_version"?}`) for one model. Each configured feature must be of its type when
/// present (numbers for numeric features; strings, numbers or booleans for categorical ones); a missing
/// feature or `null` is a missing value; features the model does not list are ignored.
package struct PredictionEventDecoder: Sendable {
    package let numericFeatures: [String]
    package let categoricalFeatures: [String]

    package init(model: ModelConfiguration) {
        numericFeatures = model.features.filter { $0.type == .numeric }.map(\.name)
        categoricalFeatures = model.features.filter { $0.type == .categorical }.map(\.name)
    }

    /// The event in one JSON text (an NDJSON line or an array element).
    package func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<PredictionEvent, EventProblem> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            return .failure(EventProblem(.notJSON, field: nil, "not valid JSON: \(error)"))
        }
        return decode(value)
    }

    package func decode(_ value: JSONValue) -> Result<PredictionEvent, EventProblem> {
        guard case .object = value else { return .failure(.invalid(field: nil, "expected a JSON object")) }
        guard let id = Self.text(value["id"]), !id.isEmpty else {
            return .failure(.missing(field: "id", "a non-empty id (string or number) is required"))
        }
        if let problem = EventProblem.nul(in: id, field: "id") { return .failure(problem) }
        guard case .string(let stamp)? = value["timestamp"] else {
            return .failure(.missing(field: "timestamp", "an RFC 3339 timestamp string is required"))
        }
        guard let time = RFC3339.microseconds(stamp) else { return .failure(.timestamp(stamp)) }
        let numeric: [Double?]
        let categorical: [String?]
        switch features(value["features"] ?? .object([])) {
        case .failure(let problem): return .failure(problem)
        case .success(let values): (numeric, categorical) = values
        }
        var event = PredictionEvent(
            id: id, timestamp: time, numeric: numeric, categorical: categorical, prediction: nil, score: nil,
            scores: nil, scoreLabels: nil, latencyMilliseconds: nil, modelVersion: nil)
        if let problem = Self.readOutputs(value, into: &event) { return .failure(problem) }
        return .success(event)
    }

    /// The configured features' values, in the model's order (nil: missing or `null`).
    func features(_ features: JSONValue) -> Result<([Double?], [String?]), EventProblem> {
        guard case .object = features else {
            return .failure(.invalid(field: "features", "expected an object of feature values"))
        }
        var numeric: [Double?] = []
        numeric.reserveCapacity(numericFeatures.count)
        for name in numericFeatures {
            switch features[name] {
            case nil, .null?: numeric.append(nil)
            case .number(let v)?: numeric.append(v)
            default: return .failure(.invalid(field: "features.\(name)", "expected a number (or null)"))
            }
        }
        var categorical: [String?] = []
        categorical.reserveCapacity(categoricalFeatures.count)
        for name in categoricalFeatures {
            switch features[name] {
            case nil, .null?: categorical.append(nil)
            case .array?, .object?:
                return .failure(.invalid(field: "features.\(name)", "expected a string, number or boolean"))
            case let v?:
                let text = Self.text(v)
                if let text, let problem = EventProblem.nul(in: text, field: "features.\(name)") {
                    return .failure(problem)
                }
                categorical.append(text)
            }
        }
        return .success((numeric, categorical))
    }

    /// Reads the model's outputs (`prediction`, `score`, `scores`, `latency_ms`, `model_version`) into
    /// `event`; the first problem found, if any.
    static func readOutputs(_ value: JSONValue, into event: inout PredictionEvent) -> EventProblem? {
        switch value["prediction"] {
        case nil, .null?: break
        case .array?, .object?: return .invalid(field: "prediction", "expected a label or a number")
        case let v?:
            event.prediction = Self.text(v)
            if let p = event.prediction, let problem = EventProblem.nul(in: p, field: "prediction") { return problem }
        }
        switch value["score"] {
        case nil, .null?: break
        case .number(let v)?: event.score = v
        default: return .invalid(field: "score", "expected a number")
        }
        if let problem = readScores(value["scores"], into: &event) { return problem }
        switch value["latency_ms"] {
        case nil, .null?: break
        case .number(let v)? where v >= 0: event.latencyMilliseconds = v
        default: return .invalid(field: "latency_ms", "expected a number of milliseconds (≥ 0)")
        }
        switch value["model_version"] {
        case nil, .null?: break
        case .string(let v)?:
            if let problem = EventProblem.nul(in: v, field: "model_version") { return problem }
            event.modelVersion = v
        default: return .invalid(field: "model_version", "expected a string")
        }
        return nil
    }

    /// `scores`: an object of class → probability, kept in its order.
    static func readScores(_ value: JSONValue?, into event: inout PredictionEvent) -> EventProblem? {
        switch value {
        case nil, .null?: return nil
        case .object(let members)?:
            var labels: [String] = []
            var scores: [Double] = []
            for (label, item) in members {
                if let problem = EventProblem.nul(in: label, field: "scores") { return problem }
                guard case .number(let p) = item else { return .invalid(field: "scores.\(label)", "expected a number") }
                labels.append(label)
                scores.append(p)
            }
            event.scoreLabels = labels
            event.scores = scores
            return nil
        default: return .invalid(field: "scores", "expected an object of class: probability")
        }
    }

    /// A scalar as label text: strings as they are, numbers as `NumberFormatting.label`, booleans as
    /// "true"/"false".
    package static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: return s
        case .number(let v)?: return NumberFormatting.label(v)
        case .bool(let b)?: return b ? "true" : "false"
        default: return nil
        }
    }
}

/// One ground-truth label line: `{"id", "label" | "value", "timestamp"?}`.
package struct LabelEvent: Sendable, Equatable {
    package var id: String
    package var label: String?
    package var value: Double?
    /// When the truth became known (microseconds, UTC), if given.
    package var timestamp: Int64?

    package init(id: String, label: String?, value: Double?, timestamp: Int64?) {
        self.id = id
        self.label = label
        self.value = value
        self.timestamp = timestamp
    }

    /// Decodes one label line.
    package static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<LabelEvent, EventProblem> {
        do {
            return decode(try JSONValue.parse(bytes))
        } catch {
            return .failure(EventProblem(.notJSON, field: nil, "not valid JSON: \(error)"))
        }
    }

    /// Decodes one label object.
    package static func decode(_ json: JSONValue) -> Result<LabelEvent, EventProblem> {
        guard case .object = json else { return .failure(.invalid(field: nil, "expected a JSON object")) }
        guard let id = PredictionEventDecoder.text(json["id"]), !id.isEmpty else {
            return .failure(.missing(field: "id", "a non-empty id (string or number) is required"))
        }
        if let problem = EventProblem.nul(in: id, field: "id") { return .failure(problem) }
        var event = LabelEvent(id: id, label: nil, value: nil, timestamp: nil)
        switch json["label"] {
        case nil, .null?: break
        case .array?, .object?: return .failure(.invalid(field: "label", "expected a label"))
        case let v?:
            event.label = PredictionEventDecoder.text(v)
            if let l = event.label, let problem = EventProblem.nul(in: l, field: "label") { return .failure(problem) }
        }
        switch json["value"] {
        case nil, .null?: break
        case .number(let v)?: event.value = v
        default: return .failure(.invalid(field: "value", "expected a number"))
        }
        guard event.label != nil || event.value != nil else {
            return .failure(.missing(field: "label", "a label (classification) or value (regression) is required"))
        }
        if case .string(let stamp)? = json["timestamp"] {
            guard let t = RFC3339.microseconds(stamp) else { return .failure(.timestamp(stamp)) }
            event.timestamp = t
        } else if let t = json["timestamp"], t != .null {
            return .failure(.invalid(field: "timestamp", "expected an RFC 3339 timestamp string"))
        }
        return .success(event)
    }
}
