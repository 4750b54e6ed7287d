/// The model families the built-in trainer fits (`retrain.model`, `driftwatch train --model`).
package enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// Logistic regression (binary): `p = σ(w·x + b)`, log-loss.
    case logistic
    /// Softmax (multinomial logistic) regression (multiclass): `p = softmax(W x + b)`, cross-entropy.
    case softmax
    /// A small multilayer perceptron: 1–2 ReLU hidden layers, then sigmoid (binary), softmax (multiclass) or a
    /// linear output (regression).
    case mlp
    /// Linear least squares with an L2 penalty (ridge regression), solved exactly.
    case ridge

    /// The default model of a task: logistic (binary), softmax (multiclass), ridge (regression).
    package static func defaultKind(for task: ModelTask) -> ModelKind {
        switch task {
        case .binary: return .logistic
        case .multiclass: return .softmax
        case .regression: return .ridge
        }
    }

    /// Whether the kind can model a task: logistic binary only, softmax classification, ridge regression,
    /// an MLP any task.
    package func fits(_ task: ModelTask) -> Bool {
        switch self {
        case .logistic: return task == .binary
        case .softmax: return task != .regression
        case .ridge: return task == .regression
        case .mlp: return true
        }
    }
}
