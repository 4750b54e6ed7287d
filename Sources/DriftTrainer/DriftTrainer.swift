/// The built-in trainer on OpenBLAS: feature encoding, logistic / softmax regression, a small MLP and ridge
/// regression, trained with mini-batch Adam; evaluation with `DriftStats`; versioned model artifacts.
package enum DriftTrainer {
    /// The artifact format this build writes (see `TrainedModel`).
    package static let artifactFormatVersion = 1
}
