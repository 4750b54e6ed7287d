/// One log file (or glob of files) that `driftwatch serve` follows for a model: complete JSON lines are
/// ingested exactly once, through the same decoders and store as `POST /v1/models/{model}/…`.
package struct TailSource: Sendable, Equatable {
    /// What the lines of a followed file are.
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Prediction events (`{"id", "timestamp", "features", "prediction", …}`).
        case predictions
        /// Ground-truth labels (`{"id", "label" | "value", "timestamp"?}`).
        case labels
    }

    /// How the lines are laid out.
    package enum Format: String, Sendable, Equatable, CaseIterable {
        /// Driftwatch's own event lines, as the HTTP ingest takes them.
        case driftwatch
        /// BentoML's default monitoring log: `path` is a monitor's directory (`<log_path>/<monitor name>`);
        /// its `data/data.<worker>.log` files are followed and its `schema/schema.<worker>.log` files say which
        /// column is a feature, the prediction or the target.
        case bentoml
    }

    /// A file path or a glob (`*`, `?`, `[…]`); for `bentoml`, the monitor's directory.
    package var path: String
    package var kind: Kind
    package var format: Format

    package init(path: String, kind: Kind = .predictions, format: Format = .driftwatch) {
        self.path = path
        self.kind = kind
        self.format = format
    }

    /// The glob of the files to follow: `path` itself, or for `bentoml` its data files.
    package var fileGlob: String {
        switch format {
        case .driftwatch: return path
        case .bentoml: return (path.hasSuffix("/") ? path : path + "/") + "data/data.*.log"
        }
    }
}
