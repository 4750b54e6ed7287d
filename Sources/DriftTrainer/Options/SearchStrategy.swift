/// How hyperparameters are chosen when they are not fixed.
///
/// Encoded as `{"kind": "none"}`, `{"kind": "grid"}` or `{"kind": "random", "trials": N}`.
package enum SearchStrategy: Sendable, Codable, Equatable {
    /// No search: the model kind's default settings.
    case none
    /// Every combination of a small grid (see `HyperparameterSpace`).
    case grid
    /// `trials` settings drawn from the search space with the training seed.
    case random(trials: Int)

    private enum CodingKeys: String, CodingKey {
        case kind
        case trials
    }

    /// Decodes the keyed form above.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "none": self = .none
        case "grid": self = .grid
        case "random": self = .random(trials: try container.decode(Int.self, forKey: .trials))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown search strategy '\(other)'")
        }
    }

    /// Encodes the keyed form above.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .none: try container.encode("none", forKey: .kind)
        case .grid: try container.encode("grid", forKey: .kind)
        case .random(let trials):
            try container.encode("random", forKey: .kind)
            try container.encode(trials, forKey: .trials)
        }
    }
}

/// Per-class weights of the training loss.
package enum ClassWeighting: String, Sendable, Codable, Equatable {
    /// Every row weighs 1.
    case none
    /// scikit-learn's `class_weight='balanced'`: a row of class c weighs `n / (k · n_c)` (n rows, k classes,
    /// n_c rows of class c), so every class carries the same total weight.
    case balanced
}
