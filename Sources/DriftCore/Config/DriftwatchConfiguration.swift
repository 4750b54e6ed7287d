import DriftStats
import DriftTables

/// The agent's whole configuration (one YAML file; every key is documented in
/// `Config/driftwatch.example.yaml`).
package struct DriftwatchConfiguration: Sendable, Equatable {
    package var server = ServerConfiguration()
    package var auth = AuthConfiguration()
    package var database = DatabaseConfiguration()
    /// Settings every model starts from (each model may override them).
    package var defaults = ModelDefaults()
    package var models: [ModelConfiguration] = []
    /// Receivers and shared alerting settings (rules live in `defaults` and per model).
    package var alerting = AlertingConfiguration()

    package init() {}

    /// The model named `name`, if configured.
    package func model(_ name: String) -> ModelConfiguration? { models.first { $0.name == name } }
}

/// Where and how the HTTP server listens.
package struct ServerConfiguration: Sendable, Equatable {
    package var host = "127.0.0.1"
    package var port = 8080
    /// Largest streamed request body accepted (NDJSON ingest; 413 beyond).
    package var maxBodyBytes = 1 << 30
    /// Largest body a route that must hold it whole accepts (JSON arrays, CloudEvents, references,
    /// `/predict`; 413 beyond).
    package var maxBufferedBodyBytes = 64 << 20
    /// Largest single NDJSON line accepted (413 beyond).
    package var maxLineBytes = 1 << 20
    /// How often (seconds) the window closer looks for windows to close and labels to fold in.
    package var windowCheckSeconds = 5
    /// How far (seconds) an event's time may be ahead of the agent's clock; further is rejected per line.
    package var maxFutureSkewSeconds = 3600
    /// A connection with no request activity this long (seconds) is closed.
    package var idleTimeoutSeconds = 30
    /// A request whose head and body are not read within this many seconds is cut off.
    package var readTimeoutSeconds = 60
    /// Daily partitions one ingest request may create; lines needing more are rejected per line.
    package var maxNewPartitionsPerRequest = 31
    package init() {}
}

/// Bearer-token authentication of every route but the health checks.
package struct AuthConfiguration: Sendable, Equatable {
    /// Off only for local experiments: then every request is accepted.
    package var enabled = true
    /// Where tokens come from (never from the file itself).
    package var tokenSources: [TokenSource] = [.environment("DRIFTWATCH_TOKEN")]
    package init() {}
}

/// A source of accepted bearer tokens.
package enum TokenSource: Sendable, Equatable {
    /// An environment variable holding one token.
    case environment(String)
    /// A file with one token per line (blank lines and `#` comments ignored).
    case file(String)
}

/// The database: an explicit URL (or the environment variable naming one), else the embedded cluster.
package struct DatabaseConfiguration: Sendable, Equatable {
    /// Environment variable holding the URL (secrets stay out of the file).
    package var urlEnvironment = "DATABASE_URL"
    /// The embedded cluster's state directory, used when no URL is set.
    package var stateDirectory = ".driftwatch"
    package var migrateOnStart = true
    package var poolSize = 8
    /// Requests that may wait for a busy pool; beyond that they are answered 503 (back-pressure).
    package var maxWaiting = 64
    package init() {}
}

/// What a model's predictions are.
package enum ModelTask: String, Sendable, Equatable, CaseIterable, Codable {
    case binary
    case multiclass
    case regression
}

/// How a model's traffic is cut into windows.
package enum WindowSpecification: Sendable, Equatable {
    /// Tumbling windows of a fixed duration in event time (seconds).
    case duration(seconds: Int)
    /// Windows of a fixed number of events.
    case events(Int)
}

/// Where a model's reference profile comes from.
package enum ReferenceSpecification: Sendable, Equatable {
    /// A CSV or NDJSON file (optionally gzipped).
    case file(String)
    /// The first N events logged for the model.
    case firstEvents(Int)
    /// The events logged in [from, to) (RFC 3339 times, kept as text until the agent parses them).
    case timeRange(from: String, to: String)
    /// None yet: set later with `PUT /v1/models/{model}/reference` or `driftwatch reference set`.
    case none
}

/// Drift settings: methods per column type, per-feature overrides, binning and thresholds.
package struct DriftSettings: Sendable, Equatable {
    package var numericMethods: [DriftMethod] = DriftMethod.defaults(for: .numeric)
    package var categoricalMethods: [DriftMethod] = DriftMethod.defaults(for: .categorical)
    package var binning: BinningMode = .quantile
    package var bins = 10
    package var thresholds: [DriftMethod: Double] = [:]
    /// Distinct values counted per categorical feature and per predicted class in a window; the most
    /// frequent are kept exactly, the rest counted together in `__other__`.
    package var maxCategories = 10_000
    package init() {}
}

/// Settings shared by every model unless it overrides them.
package struct ModelDefaults: Sendable, Equatable {
    package var window: WindowSpecification = .duration(seconds: 3600)
    /// How late (event time behind the newest window) an event may arrive and still count, in seconds.
    package var allowedLatenessSeconds = 300
    package var drift = DriftSettings()
    /// Days of raw predictions kept (older daily partitions are dropped).
    package var retentionDays = 30
    /// Accept events for models that are not configured, registering them on first use.
    package var autoRegister = false
    /// Alert rules every model has (a model's own rules come after them; same name: the model's wins).
    package var rules: [AlertRule] = []
    /// How models are retrained.
    package var retrain = RetrainPolicy()
    package init() {}
}

/// One monitored model.
package struct ModelConfiguration: Sendable, Equatable {
    package var name: String
    package var task: ModelTask
    package var features: [FeatureConfiguration]
    package var window: WindowSpecification
    package var allowedLatenessSeconds: Int
    package var reference: ReferenceSpecification
    package var drift: DriftSettings
    package var retentionDays: Int
    /// The defaults' rules, then the model's own (a model rule replaces a default of the same name).
    package var rules: [AlertRule]
    /// How the model is retrained (the defaults', with the model's own settings over them).
    package var retrain: RetrainPolicy
    /// How CloudEvents from a model server (`POST /v1/cloudevents`) map onto the model.
    package var cloudEvents = CloudEventMapping()
    /// Log files `driftwatch serve` follows for this model (none by default).
    package var tail: [TailSource] = []

    package init(name: String, task: ModelTask, features: [FeatureConfiguration], defaults: ModelDefaults) {
        self.name = name
        self.task = task
        self.features = features
        window = defaults.window
        allowedLatenessSeconds = defaults.allowedLatenessSeconds
        reference = .none
        drift = defaults.drift
        retentionDays = defaults.retentionDays
        rules = defaults.rules
        retrain = defaults.retrain
    }

    /// The methods run on `feature` (its override, else the model's per-type list).
    package func methods(for feature: FeatureConfiguration) -> [DriftMethod] {
        feature.methods ?? (feature.type == .numeric ? drift.numericMethods : drift.categoricalMethods)
    }
}

/// One input feature of a model.
package struct FeatureConfiguration: Sendable, Equatable {
    package var name: String
    package var type: ColumnType
    /// Methods for this feature only (nil: the model's list for its type).
    package var methods: [DriftMethod]?
    package init(name: String, type: ColumnType, methods: [DriftMethod]? = nil) {
        self.name = name
        self.type = type
        self.methods = methods
    }
}
