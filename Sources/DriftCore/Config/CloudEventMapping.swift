/// How a model's traffic logged by a model server as CloudEvents (KServe's inference logger, Seldon Core's
/// request logger) maps onto the model: which events are the model's, which columns or tensors are which
/// features, and what the outputs are. Every setting has a default that fits the common case, so a model
/// whose name is its InferenceService's name and whose instances list the features in configured order
/// needs none of them.
package struct CloudEventMapping: Sendable, Equatable {
    /// Matched with the `ce-inferenceservicename` extension (KServe: the InferenceService; Seldon: the
    /// SeldonDeployment). Nil: the model's own name.
    package var inferenceService: String?
    /// When set, `ce-namespace` must equal it too (two services of one name in two namespaces).
    package var namespace: String?
    package var inputs = Inputs()
    package var outputs = Outputs()
    /// How long the first half of a request/response pair waits for the other before it is stored alone
    /// (a request as a prediction without outputs, a response as one without features), in seconds.
    package var pairTimeoutSeconds = 600

    package init() {}

    /// Where the features are in a request.
    package struct Inputs: Sendable, Equatable {
        /// The Open Inference Protocol input tensor holding the features as an [N, columns] matrix. Nil:
        /// the only input tensor, or — with several — the tensors named after features, one column each.
        package var tensor: String?
        /// The feature of each column of an array instance (or a matrix row), in column order; nil skips a
        /// column. Nil: the model's features in configured order (Seldon: the payload's `names` if given).
        package var columns: [String?]?
        package init() {}
    }

    /// What a response's outputs are.
    package struct Outputs: Sendable, Equatable {
        /// The Open Inference Protocol output tensor holding the prediction (nil: the first output).
        package var prediction: String?
        /// An output tensor holding class probabilities, one row per instance (nil: none).
        package var scores: String?
        /// What each output row is (`auto`: a scalar is the prediction, a list of numbers the class
        /// probabilities).
        package var kind: OutputKind = .auto
        /// The class of each probability column and of each class index (nil: `0`, `1`, …; Seldon: the
        /// payload's `names` when they give one per column).
        package var classes: [String]?
        package init() {}
    }

    /// How an output row is read.
    package enum OutputKind: String, Sendable, Equatable, CaseIterable {
        /// A scalar is the prediction, a list of numbers the class probabilities.
        case auto
        /// A scalar (or a one-element row) is the predicted class or value.
        case prediction
        /// A scalar is the positive class's probability (binary models).
        case score
        /// A row is the class probabilities.
        case scores
    }
}
