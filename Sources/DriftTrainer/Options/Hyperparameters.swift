/// The settings one model is trained with.
///
/// The objective minimised is `J(θ) = (1/N) [ Σᵢ cᵢ · loss(xᵢ, yᵢ; θ) + (l2 / 2) · Σ_layers ‖W‖²_F ]`: the sum
/// of the per-row losses (log-loss, cross-entropy, or half the squared error of the standardised target),
/// weighted by class weights `cᵢ`, plus an L2 penalty on the weights (never the biases) — the form of
/// scikit-learn's `LogisticRegression` with `l2 = 1 / C` (and `Ridge` with `l2 = alpha`). Dividing by the number
/// of training rows N only rescales the gradient for mini-batches: mini-batch gradients are
/// `(1/B) Σ_batch cᵢ ∇loss + (l2/N) W`.
package struct Hyperparameters: Sendable, Codable, Equatable {
    /// Adam's step size α (unused by ridge).
    package var learningRate: Double
    /// The L2 penalty λ above (λ = 1/C in scikit-learn's terms); ≥ 0.
    package var l2: Double
    /// Hidden layer widths of an MLP (1 or 2 entries); empty for the linear models.
    package var hiddenLayers: [Int]
    /// Passes over the training rows: during the search the cap for early stopping; in the stored model the
    /// epochs its final fit ran (unused by ridge: 0).
    package var epochs: Int
    /// Rows per mini-batch (unused by ridge: 0).
    package var batchSize: Int

    /// Settings with every field given.
    package init(learningRate: Double, l2: Double, hiddenLayers: [Int] = [], epochs: Int, batchSize: Int) {
        self.learningRate = learningRate
        self.l2 = l2
        self.hiddenLayers = hiddenLayers
        self.epochs = epochs
        self.batchSize = batchSize
    }

    enum CodingKeys: String, CodingKey {
        case learningRate = "learning_rate"
        case l2
        case hiddenLayers = "hidden_layers"
        case epochs
        case batchSize = "batch_size"
    }
}
