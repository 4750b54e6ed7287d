import DriftConfig
import DriftCore
import DriftTables

/// `defaults.auto_register: true`: a model that is neither configured nor registered is registered from
/// its first event, with the model defaults and:
/// - features: each member of `features` that is a number → numeric; a string or boolean → categorical
///   (`null` members are left out: their type is unknown);
/// - task: `multiclass` when the event has `scores`, `regression` when its prediction is a non-integer
///   number, else `binary`.
/// The settings are stored like those of `PUT /v1/models/{model}` and can be replaced that way.
enum AutoRegistration {
    static func settings(from event: JSONValue?) -> Result<String, EventProblem> {
        guard let event, case .object = event else {
            return .failure(.invalid(field: nil, "expected a JSON object (the model is registered from it)"))
        }
        guard case .object(let members)? = event["features"] else {
            return .failure(.missing(field: "features", "an object of features is needed to register the model"))
        }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        let task: ModelTask
        if case .object? = event["scores"] {
            task = .multiclass
        } else if case .number(let p)? = event["prediction"], p != p.rounded() {
            task = .regression
        } else {
            task = .binary
        }
        w.string("task", task.rawValue)
        w.beginObject("features")
        var count = 0
        for (name, value) in members {
            switch value {
            case .number: w.string(name, ColumnType.numeric.rawValue)
            case .string, .bool: w.string(name, ColumnType.categorical.rawValue)
            default: continue
            }
            count += 1
        }
        w.endObject()
        w.endObject()
        guard count > 0 else {
            return .failure(.invalid(field: "features", "no feature with a value to infer its type from"))
        }
        return .success(w.text)
    }

    static func register(
        _ name: String, settings: String, _ environment: AgentEnvironment
    ) async throws -> (ModelConfiguration, Int64) {
        let model: ModelConfiguration
        do {
            model = try ConfigurationLoader.loadModel(
                name: name, text: settings, source: "auto_register", defaults: environment.configuration.defaults)
        } catch {
            throw APIError.cannotRegister(name, error)
        }
        // Another request may have registered it meanwhile: its settings win.
        if let existing = try await environment.findModel(name) { return existing }
        return (model, try await environment.registerModel(model, settingsJSON: settings))
    }
}
