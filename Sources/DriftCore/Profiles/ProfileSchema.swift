/// The columns a model's profiles hold, in a fixed order taken from its configuration: numeric features,
/// categorical features, and the model's output — its predicted class (`prediction`, categorical) for
/// classification, its positive-class score (`score`, numeric) for binary models, its predicted value
/// (`prediction`, numeric) for regression.
package struct ProfileSchema: Sendable, Equatable {
    package let task: ModelTask
    package let numericFeatures: [FeatureConfiguration]
    package let categoricalFeatures: [FeatureConfiguration]
    /// Distinct values a window profile counts per categorical column (`drift.max_categories`).
    package let maxCategories: Int

    package init(model: ModelConfiguration) {
        task = model.task
        maxCategories = model.drift.maxCategories
        numericFeatures = model.features.filter { $0.type == .numeric }
        categoricalFeatures = model.features.filter { $0.type == .categorical }
    }

    /// The name of the categorical output column (`prediction`), nil for regression.
    package var predictedClassColumn: String? { task == .regression ? nil : "prediction" }

    /// The name of the numeric output column: `score` (binary), `prediction` (regression), nil (multiclass).
    package var predictedValueColumn: String? {
        switch task {
        case .binary: return "score"
        case .regression: return "prediction"
        case .multiclass: return nil
        }
    }
}
