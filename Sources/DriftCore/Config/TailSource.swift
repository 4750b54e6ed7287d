/// One log file (or glob of files) that `driftwatch serve` follows for a model: complete JSON lines are
/// ingested exactly once, through the same decoders and store as `POST /v1/models/{model}/…`.
public struct TailSource: Sendable, Equatable {
    /// What the lines of a followed file are.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Prediction events (`{"id", "timestamp", "features", "prediction", …}`).
        case predictions
        /// Ground-truth labels (`{"id", "label" | "value", "timestamp"?}`).
        case labels
    }

    /// How the lines are laid out.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// Driftwatch's own event lines, as the HTTP ingest takes them.
        case driftwatch
        /// BentoML's default monitoring log: `path` is a monitor's directory (`<log_path>/<monitor name>`);
        /// its `data/data.<worker>.log` files are followed and its `schema/schema.<worker>.log` files say which
        /// column is a feature, the prediction or the target.
        case bentoml
    }

    /// A file path or a glob (`*`, `?`, `[…]`); for `bentoml`, the monitor's directory.
    public var path: String
    public var kind: Kind
    public var format: Format

    public init(path: String, kind: Kind = .predictions, format: Format = .driftwatch) {
        self.path = path
        self.kind = kind
        self.format = format
    }

    /// The glob of the files to follow: `path` itself, or for `bentoml` its data files.
    public var fileGlob: String {
        switch format {
        case .driftwatch: return path
        case .bentoml: return (path.hasSuffix("/") ? path : path + "/") + "data/data.*.log"
        }
    }
}
