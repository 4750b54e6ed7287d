import DriftCore
import DriftStats
import DriftTables

/// One instance of a logged request: its features by name, and where it came from in the payload.
package struct InferenceInstance: Sendable, Equatable {
    /// The payload path of the instance (`instances[2]`, `inputs[0] row 2`, `data.ndarray[2]`), for errors.
    package var path: String
    /// Feature name → value, as the payload gave them (the model's decoder checks their types).
    package var features: [(String, JSONValue)]

    package static func == (a: Self, b: Self) -> Bool {
        a.path == b.path && a.features.map(\.0) == b.features.map(\.0) && a.features.map(\.1) == b.features.map(\.1)
    }
}

/// One row of a logged response (or of Seldon feedback's truth): the model's output for one instance.
package struct InferenceOutput: Sendable, Equatable {
    /// The predicted class or value, as label text.
    package var prediction: String?
    /// The positive class's probability (binary models).
    package var score: Double?
    /// Class probabilities, in the order of `scoreLabels`.
    package var scores: [Double]?
    package var scoreLabels: [String]?

    package init(prediction: String? = nil, score: Double? = nil, scores: [Double]? = nil, scoreLabels: [String]? = nil)
    {
        self.prediction = prediction
        self.score = score
        self.scores = scores
        self.scoreLabels = scoreLabels
    }
}

/// The outputs of one logged response.
package struct InferenceOutputs: Sendable, Equatable {
    /// Where the rows are in the payload (`predictions`, `outputs`, `data`), for errors.
    package var field: String
    package var rows: [InferenceOutput]
    /// `model_version` of an Open Inference Protocol response.
    package var modelVersion: String?
}

/// Decodes the data of logged inference events for one model: KServe V1 (`{"instances": [...]}` /
/// `{"predictions": [...]}`), the Open Inference Protocol (V2: `{"inputs": [{"name", "shape", "datatype",
/// "data"}]}` / `{"outputs": [...]}`) and Seldon's protocol (`{"data": {"names", "ndarray" | "tensor"}}`),
/// mapping columns and tensors to the model's features with its `cloudevents` settings. Pure: no I/O.
///
/// Instances that are objects map by key. Array instances (and matrix rows) map by column: the configured
/// `inputs.columns`, else Seldon's `names`, else the model's features in configured order; their length
/// must match. V2 inputs: the configured tensor, else the only one as an [N, columns] matrix, else the
/// tensors named after features (one column each). Problems name the payload path.
package struct InferencePayloadDecoder: Sendable {
    package let model: ModelConfiguration
    let featureNames: [String]

    package init(model: ModelConfiguration) {
        self.model = model
        featureNames = model.features.map(\.name)
    }

    var mapping: CloudEventMapping { model.cloudEvents }

    // MARK: Requests

    /// The instances of a request's data.
    package func instances(_ body: JSONValue) -> Result<[InferenceInstance], EventProblem> {
        guard case .object = body else {
            return .failure(EventProblem.invalid(field: "data", "expected a JSON object"))
        }
        if let instances = body["instances"] {
            guard case .array(let items) = instances else {
                return .failure(EventProblem.invalid(field: "instances", "expected an array of instances"))
            }
            let columns = mapping.inputs.columns ?? featureNames.map { Optional($0) }
            return collect(items.enumerated().map { i, item in (PayloadRow(item), "instances[\(i)]") }, columns)
        }
        if let inputs = body["inputs"] {
            return tensorInstances(inputs)
        }
        if let data = body["data"] {
            let (rows, names) = seldonRows(data, field: "data")
            switch rows {
            case .failure(let p): return .failure(p)
            case .success(let rows):
                let columns =
                    mapping.inputs.columns ?? (names.flatMap { $0.isEmpty ? nil : $0.map { Optional($0) } })
                    ?? featureNames.map { Optional($0) }
                return collect(rows, columns)
            }
        }
        return .failure(
            EventProblem.invalid(
                field: "data",
                "expected instances (KServe V1), inputs (Open Inference Protocol) or data (Seldon) in the request"))
    }

    func collect(_ rows: [(PayloadRow, String)], _ columns: [String?]) -> Result<[InferenceInstance], EventProblem> {
        var out: [InferenceInstance] = []
        out.reserveCapacity(rows.count)
        for (row, path) in rows {
            switch features(row, columns, path) {
            case .success(let f): out.append(InferenceInstance(path: path, features: f))
            case .failure(let p): return .failure(p)
            }
        }
        return .success(out)
    }

    func features(
        _ row: PayloadRow, _ columns: [String?], _ path: String
    ) -> Result<[(String, JSONValue)], EventProblem> {
        switch row {
        case .object(let members): return .success(members)
        case .vector(let values):
            guard values.count == columns.count else {
                return .failure(
                    EventProblem.invalid(
                        field: path,
                        "\(values.count) values but \(columns.count) columns are mapped (\(Self.describe(columns)))"))
            }
            return .success(zip(columns, values).compactMap { name, v in name.map { ($0, v) } })
        case .scalar(let v):
            guard columns.count == 1 else {
                return .failure(
                    EventProblem.invalid(
                        field: path, "one value but \(columns.count) columns are mapped (\(Self.describe(columns)))"))
            }
            return .success(columns[0].map { [($0, v)] } ?? [])
        }
    }

    static func describe(_ columns: [String?]) -> String {
        let names = columns.prefix(8).map { $0 ?? "-" }.joined(separator: ", ")
        return columns.count > 8 ? names + ", …" : names
    }

    /// The instances of Open Inference Protocol `inputs`: the configured tensor, the tensors named after
    /// features (one column each), or the only tensor as a matrix.
    func tensorInstances(_ inputs: JSONValue) -> Result<[InferenceInstance], EventProblem> {
        let tensors: [Tensor]
        switch Self.tensors(inputs, field: "inputs", role: "input") {
        case .success(let t): tensors = t
        case .failure(let p): return .failure(p)
        }
        let columns = mapping.inputs.columns ?? featureNames.map { Optional($0) }
        if let wanted = mapping.inputs.tensor {
            guard let tensor = tensors.first(where: { $0.name == wanted }) else {
                return .failure(
                    EventProblem.invalid(
                        field: "inputs",
                        "no input tensor named '\(wanted)' (cloudevents.inputs.tensor); the request has \(tensors.map { "'\($0.name)'" }.joined(separator: ", "))"
                    ))
            }
            return matrix(tensor, columns)
        }
        let known = Set(featureNames)
        if tensors.allSatisfy({ known.contains($0.name) }) && (tensors.count > 1 || featureNames.count == 1) {
            return featureTensorInstances(tensors)
        }
        guard tensors.count == 1 else {
            return .failure(
                EventProblem.invalid(
                    field: "inputs",
                    "\(tensors.count) input tensors and not all are named after features: set cloudevents.inputs.tensor"
                ))
        }
        return matrix(tensors[0], columns)
    }

    /// The tensors of `inputs` or `outputs` (`field`): a non-empty array of tensor objects.
    static func tensors(_ value: JSONValue, field: String, role: String) -> Result<[Tensor], EventProblem> {
        guard case .array(let items) = value, !items.isEmpty else {
            return .failure(EventProblem.invalid(field: field, "expected a non-empty array of \(role) tensors"))
        }
        var tensors: [Tensor] = []
        for (i, item) in items.enumerated() {
            switch Tensor.parse(item, path: "\(field)[\(i)]") {
            case .success(let t): tensors.append(t)
            case .failure(let p): return .failure(p)
            }
        }
        return .success(tensors)
    }

    /// One tensor per feature (e.g. MLServer's pandas codec): each is one column, all of the same rows.
    func featureTensorInstances(_ tensors: [Tensor]) -> Result<[InferenceInstance], EventProblem> {
        var count: Int?
        var byFeature: [(String, [PayloadRow])] = []
        for t in tensors {
            switch t.rows() {
            case .failure(let p): return .failure(p)
            case .success(let rows):
                if let count, count != rows.count {
                    return .failure(
                        EventProblem.invalid(
                            field: "\(t.path).shape", "\(rows.count) rows but the first input tensor has \(count)"))
                }
                count = rows.count
                byFeature.append((t.name, rows))
            }
        }
        var out: [InferenceInstance] = []
        for r in 0..<(count ?? 0) {
            var f: [(String, JSONValue)] = []
            for (name, rows) in byFeature {
                switch rows[r] {
                case .scalar(let v): f.append((name, v))
                case .vector(let v) where v.count == 1: f.append((name, v[0]))
                default:
                    return .failure(
                        EventProblem.invalid(
                            field: "inputs", "tensor '\(name)' has more than one column; a feature tensor has one"))
                }
            }
            out.append(InferenceInstance(path: "inputs row \(r)", features: f))
        }
        return .success(out)
    }

    func matrix(_ tensor: Tensor, _ columns: [String?]) -> Result<[InferenceInstance], EventProblem> {
        switch tensor.rows() {
        case .failure(let p): return .failure(p)
        case .success(let rows):
            return collect(rows.enumerated().map { ($1, "\(tensor.path) row \($0)") }, columns)
        }
    }

    /// Seldon's `data`: `{"names"?, "ndarray": [...]}` or `{"names"?, "tensor": {"shape", "values"}}`.
    func seldonRows(_ data: JSONValue, field: String) -> (Result<[(PayloadRow, String)], EventProblem>, [String]?) {
        guard case .object = data else {
            return (.failure(EventProblem.invalid(field: field, "expected an object with ndarray or tensor")), nil)
        }
        var names: [String]?
        if let n = data["names"] {
            guard case .array(let items) = n else {
                return (.failure(EventProblem.invalid(field: "\(field).names", "expected an array of names")), nil)
            }
            var list: [String] = []
            for item in items {
                guard case .string(let s) = item else {
                    return (.failure(EventProblem.invalid(field: "\(field).names", "expected an array of names")), nil)
                }
                list.append(s)
            }
            names = list
        }
        if let ndarray = data["ndarray"] {
            guard case .array(let items) = ndarray else {
                return (.failure(EventProblem.invalid(field: "\(field).ndarray", "expected an array of rows")), names)
            }
            return (.success(items.enumerated().map { (PayloadRow($1), "\(field).ndarray[\($0)]") }), names)
        }
        if let tensor = data["tensor"] {
            let t = Tensor.parse(
                .object([
                    ("name", .string("tensor")), ("shape", tensor["shape"] ?? .null), ("datatype", .string("FP64")),
                    ("data", tensor["values"] ?? .null),
                ]), path: "\(field).tensor")
            switch t.flatMap({ $0.rows() }) {
            case .failure(let p): return (.failure(p), names)
            case .success(let rows):
                return (.success(rows.enumerated().map { ($1, "\(field).tensor row \($0)") }), names)
            }
        }
        return (
            .failure(
                EventProblem.invalid(
                    field: field, "expected ndarray or tensor (strData, binData and jsonData are not tabular)")
            ),
            names
        )
    }

    // MARK: Responses

    /// The outputs of a response's data (or of Seldon feedback's `truth`).
    package func outputs(_ body: JSONValue, field prefix: String = "") -> Result<InferenceOutputs, EventProblem> {
        guard case .object = body else {
            return .failure(EventProblem.invalid(field: prefix.isEmpty ? "data" : prefix, "expected a JSON object"))
        }
        let p = prefix.isEmpty ? "" : prefix + "."
        if let predictions = body["predictions"] {
            guard case .array(let items) = predictions else {
                return .failure(EventProblem.invalid(field: "\(p)predictions", "expected an array of predictions"))
            }
            var rows: [InferenceOutput] = []
            for (i, item) in items.enumerated() {
                switch output(PayloadRow(item), names: nil, path: "\(p)predictions[\(i)]") {
                case .success(let o): rows.append(o)
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(InferenceOutputs(field: "\(p)predictions", rows: rows))
        }
        if let outputs = body["outputs"] {
            return tensorOutputs(outputs, p: p).map { rows in
                var version: String?
                if case .string(let v)? = body["model_version"] { version = v }
                return InferenceOutputs(field: "\(p)outputs", rows: rows, modelVersion: version)
            }
        }
        if let data = body["data"] {
            let (rows, names) = seldonRows(data, field: "\(p)data")
            switch rows {
            case .failure(let problem): return .failure(problem)
            case .success(let rows):
                var out: [InferenceOutput] = []
                for (row, path) in rows {
                    switch output(row, names: names, path: path) {
                    case .success(let o): out.append(o)
                    case .failure(let problem): return .failure(problem)
                    }
                }
                return .success(InferenceOutputs(field: "\(p)data", rows: out))
            }
        }
        return .failure(
            EventProblem.invalid(
                field: prefix.isEmpty ? "data" : prefix,
                "expected predictions (KServe V1), outputs (Open Inference Protocol) or data (Seldon)"))
    }

    /// The output rows of Open Inference Protocol `outputs`: the prediction tensor's rows, completed by the
    /// scores tensor's class probabilities (tensors as `cloudevents.outputs` names them, else the first).
    func tensorOutputs(_ outputs: JSONValue, p: String) -> Result<[InferenceOutput], EventProblem> {
        let tensors: [Tensor]
        switch Self.tensors(outputs, field: "\(p)outputs", role: "output") {
        case .success(let t): tensors = t
        case .failure(let problem): return .failure(problem)
        }
        var scoresTensor: Tensor?
        if let name = mapping.outputs.scores {
            switch Self.outputTensor(named: name, key: "scores", in: tensors, p: p) {
            case .success(let t): scoresTensor = t
            case .failure(let problem): return .failure(problem)
            }
        }
        let predictionTensor: Tensor?
        if let name = mapping.outputs.prediction {
            switch Self.outputTensor(named: name, key: "prediction", in: tensors, p: p) {
            case .success(let t): predictionTensor = t
            case .failure(let problem): return .failure(problem)
            }
        } else {
            predictionTensor = tensors.first { $0.name != scoresTensor?.name }
        }
        var out: [InferenceOutput]?
        if let t = predictionTensor {
            switch predictionRows(t) {
            case .failure(let problem): return .failure(problem)
            case .success(let list): out = list
            }
        }
        if let t = scoresTensor {
            switch scoredRows(t, predictions: out, predictionTensor: predictionTensor) {
            case .failure(let problem): return .failure(problem)
            case .success(let list): out = list
            }
        }
        return .success(out ?? [])
    }

    /// The output tensor named `name` (by `cloudevents.outputs.<key>`), or a problem listing the response's.
    static func outputTensor(
        named name: String, key: String, in tensors: [Tensor], p: String
    ) -> Result<
        Tensor, EventProblem
    > {
        guard let t = tensors.first(where: { $0.name == name }) else {
            return .failure(
                EventProblem.invalid(
                    field: "\(p)outputs",
                    "no output tensor named '\(name)' (cloudevents.outputs.\(key)); the response has \(tensors.map { "'\($0.name)'" }.joined(separator: ", "))"
                ))
        }
        return .success(t)
    }

    /// The rows of the prediction tensor, each read as `outputs.kind` says.
    func predictionRows(_ t: Tensor) -> Result<[InferenceOutput], EventProblem> {
        switch t.rows() {
        case .failure(let problem): return .failure(problem)
        case .success(let rows):
            var list: [InferenceOutput] = []
            for (i, row) in rows.enumerated() {
                switch output(row, names: nil, path: "\(t.path) row \(i)") {
                case .success(let o): list.append(o)
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(list)
        }
    }

    /// `predictions` (or empty rows when nil) with the scores tensor's class probabilities added; a row
    /// without a prediction takes the most probable class.
    func scoredRows(
        _ t: Tensor, predictions out: [InferenceOutput]?, predictionTensor: Tensor?
    ) -> Result<[InferenceOutput], EventProblem> {
        switch t.rows() {
        case .failure(let problem): return .failure(problem)
        case .success(let rows):
            if let existing = out, existing.count != rows.count {
                return .failure(
                    EventProblem.invalid(
                        field: "\(t.path).shape",
                        "\(rows.count) rows but the prediction tensor '\(predictionTensor?.name ?? "")' has \(existing.count)"
                    ))
            }
            var list = out ?? Array(repeating: InferenceOutput(), count: rows.count)
            for (i, row) in rows.enumerated() {
                switch probabilities(row, names: nil, path: "\(t.path) row \(i)") {
                case .success(let o):
                    list[i].score = o.score
                    list[i].scores = o.scores
                    list[i].scoreLabels = o.scoreLabels
                    if list[i].prediction == nil { list[i].prediction = o.prediction }
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(list)
        }
    }

    /// One output row read as `outputs.kind` says.
    func output(_ row: PayloadRow, names: [String]?, path: String) -> Result<InferenceOutput, EventProblem> {
        let kind = mapping.outputs.kind
        switch row {
        case .object(let members):
            // Our own event format: prediction, score, scores.
            var o = InferenceOutput()
            for (key, value) in members {
                switch (key, value) {
                case ("prediction", .null), ("score", .null), ("scores", .null): break
                case ("prediction", _):
                    guard let text = PredictionEventDecoder.text(value) else {
                        return .failure(
                            EventProblem.invalid(field: "\(path).prediction", "expected a label or a number"))
                    }
                    o.prediction = text
                case ("score", .number(let v)): o.score = v
                case ("scores", .object(let pairs)):
                    var labels: [String] = []
                    var values: [Double] = []
                    for (label, item) in pairs {
                        guard case .number(let v) = item else {
                            return .failure(EventProblem.invalid(field: "\(path).scores.\(label)", "expected a number"))
                        }
                        labels.append(label)
                        values.append(v)
                    }
                    o.scores = values
                    o.scoreLabels = labels
                case ("score", _), ("scores", _):
                    return .failure(
                        EventProblem.invalid(field: "\(path).\(key)", "expected a number (score) or an object (scores)")
                    )
                default: break
                }
            }
            return .success(o)
        case .scalar(let v):
            return scalar(v, path: path)
        case .vector(let values) where values.count == 1 && kind != .scores:
            return scalar(values[0], path: path)
        case .vector:
            guard kind == .auto || kind == .scores else {
                return .failure(
                    EventProblem.invalid(
                        field: path, "a list of values, but cloudevents.outputs.kind is '\(kind.rawValue)'"))
            }
            return probabilities(row, names: names, path: path)
        }
    }

    func scalar(_ value: JSONValue, path: String) -> Result<InferenceOutput, EventProblem> {
        switch mapping.outputs.kind {
        case .score:
            guard case .number(let p) = value else {
                return .failure(
                    EventProblem.invalid(field: path, "expected a probability (cloudevents.outputs.kind is score)"))
            }
            let classes = mapping.outputs.classes ?? ["0", "1"]
            return .success(InferenceOutput(prediction: p >= 0.5 ? classes.last : classes.first, score: p))
        case .scores:
            return .failure(EventProblem.invalid(field: path, "expected a list of class probabilities"))
        case .auto, .prediction:
            if case .number(let v) = value, model.task != .regression, let classes = mapping.outputs.classes,
                v.rounded() == v, v >= 0, v < Double(classes.count)
            {
                return .success(InferenceOutput(prediction: classes[Int(v)]))
            }
            if model.task == .regression, case .number = value {
                return .success(InferenceOutput(prediction: PredictionEventDecoder.text(value)))
            }
            guard model.task != .regression, let text = PredictionEventDecoder.text(value) else {
                return .failure(
                    EventProblem.invalid(
                        field: path,
                        model.task == .regression
                            ? "expected a number (a regression prediction)" : "expected a label or a number"))
            }
            return .success(InferenceOutput(prediction: text))
        }
    }

    /// A row of class probabilities: the prediction is the most probable class; a binary model keeps the
    /// second class's probability as its score.
    func probabilities(_ row: PayloadRow, names: [String]?, path: String) -> Result<InferenceOutput, EventProblem> {
        guard model.task != .regression else {
            return .failure(EventProblem.invalid(field: path, "a list of values is not a regression prediction"))
        }
        let values: [JSONValue]
        switch row {
        case .vector(let v): values = v
        case .scalar(let v): values = [v]
        case .object: return .failure(EventProblem.invalid(field: path, "expected a list of class probabilities"))
        }
        var p: [Double] = []
        for (i, v) in values.enumerated() {
            guard case .number(let x) = v else {
                return .failure(EventProblem.invalid(field: path, "class probability \(i) is not a number"))
            }
            p.append(x)
        }
        let labels: [String]
        if let classes = mapping.outputs.classes {
            guard classes.count == p.count else {
                return .failure(
                    EventProblem.invalid(
                        field: path, "\(p.count) probabilities but cloudevents.outputs.classes names \(classes.count)"))
            }
            labels = classes
        } else if let names, names.count == p.count, p.count > 1 {
            labels = names
        } else {
            labels = p.indices.map { String($0) }
        }
        guard let best = p.indices.max(by: { p[$0] < p[$1] }) else {
            return .failure(EventProblem.invalid(field: path, "an empty list of class probabilities"))
        }
        if model.task == .binary && p.count == 2 {
            return .success(InferenceOutput(prediction: labels[best], score: p[1]))
        }
        if model.task == .binary && p.count == 1 {
            return .success(InferenceOutput(prediction: p[0] >= 0.5 ? "1" : "0", score: p[0]))
        }
        return .success(InferenceOutput(prediction: labels[best], scores: p, scoreLabels: labels))
    }
}

/// One row of a payload: a scalar, a list of values, or an object of named values.
enum PayloadRow {
    case scalar(JSONValue)
    case vector([JSONValue])
    case object([(String, JSONValue)])

    init(_ value: JSONValue) {
        switch value {
        case .array(let items): self = .vector(items)
        case .object(let members): self = .object(members)
        default: self = .scalar(value)
        }
    }
}

/// An Open Inference Protocol tensor: `{"name", "shape", "datatype", "data"}` (data flat or nested in
/// row-major order).
struct Tensor {
    let name: String
    let path: String
    let shape: [Int]
    let datatype: String
    let data: [JSONValue]

    static let numeric: Set<String> = [
        "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64",
    ]

    static func parse(_ value: JSONValue, path: String) -> Result<Tensor, EventProblem> {
        guard case .object = value else {
            return .failure(EventProblem.invalid(field: path, "expected a tensor object"))
        }
        guard case .string(let name)? = value["name"] else {
            return .failure(EventProblem.missing(field: "\(path).name", "a tensor name (string) is required"))
        }
        guard case .array(let dims)? = value["shape"] else {
            return .failure(EventProblem.missing(field: "\(path).shape", "a shape (array of sizes) is required"))
        }
        var shape: [Int] = []
        for d in dims {
            guard case .number(let v) = d, v >= 0, v.rounded() == v, v < 1e12 else {
                return .failure(EventProblem.invalid(field: "\(path).shape", "sizes are whole numbers ≥ 0"))
            }
            shape.append(Int(v))
        }
        guard case .string(let datatype)? = value["datatype"] else {
            return .failure(
                EventProblem.missing(field: "\(path).datatype", "a datatype (e.g. FP32, INT64, BYTES) is required"))
        }
        guard numeric.contains(datatype) || datatype == "BOOL" || datatype == "BYTES" else {
            return .failure(
                EventProblem.invalid(
                    field: "\(path).datatype", "'\(datatype.prefix(20))' is not an Open Inference Protocol datatype"))
        }
        guard let raw = value["data"] else {
            return .failure(EventProblem.missing(field: "\(path).data", "the tensor's data is required"))
        }
        var flat: [JSONValue] = []
        func flatten(_ v: JSONValue) {
            if case .array(let items) = v { items.forEach(flatten) } else { flat.append(v) }
        }
        flatten(raw)
        // Saturating: a shape whose product passes Int.max (sizes up to 1e12 each) is a mismatch, not a trap.
        let expected = shape.reduce(1) { $0.multipliedSaturating(by: $1) }
        guard flat.count == expected else {
            return .failure(
                EventProblem.invalid(
                    field: "\(path).data",
                    "\(flat.count) values but shape [\(shape.map(String.init).joined(separator: ", "))] holds \(expected)"
                ))
        }
        for (i, v) in flat.enumerated() {
            let fits: Bool
            switch (v, datatype) {
            case (.number(let x), _) where numeric.contains(datatype):
                fits = datatype.hasPrefix("FP") || x.rounded() == x
            case (.bool, "BOOL"), (.string, "BYTES"): fits = true
            case (.null, _): fits = true
            default: fits = false
            }
            guard fits else {
                return .failure(
                    EventProblem.invalid(field: "\(path).data", "value \(i) does not fit datatype \(datatype)"))
            }
        }
        return .success(Tensor(name: name, path: path, shape: shape, datatype: datatype, data: flat))
    }

    /// The tensor's rows: [N] gives N scalars, [N, C] N rows of C values.
    func rows() -> Result<[PayloadRow], EventProblem> {
        switch shape.count {
        case 1: return .success(data.map { .scalar($0) })
        case 2:
            let width = shape[1]
            // A row of no columns holds nothing to monitor: a shape such as [1e11, 0] must not make 1e11 rows.
            guard width > 0 || shape[0] == 0 else {
                return .failure(EventProblem.invalid(field: "\(path).shape", "a 2-D tensor with rows of no columns"))
            }
            return .success((0..<shape[0]).map { r in .vector(Array(data[(r * width)..<((r + 1) * width)])) })
        default:
            return .failure(
                EventProblem.invalid(
                    field: "\(path).shape", "a \(shape.count)-D tensor; only 1-D and 2-D tensors map to rows"))
        }
    }
}
