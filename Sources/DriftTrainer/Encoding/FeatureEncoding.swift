import DriftCore
import DriftStats

/// How raw feature columns become the model's input matrix, learned from the training rows and stored in the
/// artifact (`encoding`).
///
/// - Numeric feature: `x' = (x − mean) / scale`, where `mean` and `scale` are the training mean and population
///   standard deviation (ddof = 0, as scikit-learn's `StandardScaler`) of the non-missing values; a constant
///   column (std 0) gets scale 1, a column with no value at all mean 0 and scale 1. A missing value (NaN or ±∞)
///   is imputed with the training mean, so it encodes to 0.
/// - Categorical feature: one-hot over `categories` (those seen in training, at most `maxCategories`, most
///   frequent first; ties and the stored order by code points), then an `other` slot (categories not in the
///   list: unseen in training or beyond the cap) and a `missing` slot (nil). So a feature takes
///   `categories.count + 2` input columns, and an unseen category at prediction time is well defined.
struct FeatureEncoding: Sendable, Codable, Equatable {
    /// The learned standardisation of one numeric feature.
    struct Numeric: Sendable, Codable, Equatable {
        var name: String
        var mean: Double
        var scale: Double
    }

    /// The learned one-hot layout of one categorical feature.
    struct Categorical: Sendable, Codable, Equatable {
        var name: String
        var categories: [String]
    }

    /// Cap on one-hot categories per feature; rarer ones share the `other` slot.
    static let maxCategories = 100

    var numeric: [Numeric]
    var categorical: [Categorical]

    /// Number of input columns: one per numeric feature, `categories + 2` per categorical one.
    var width: Int { numeric.count + categorical.reduce(0) { $0 + $1.categories.count + 2 } }

    /// Feature names: numeric, then categorical.
    var featureNames: [String] { numeric.map(\.name) + categorical.map(\.name) }

    /// Learns the encoding from `data` (every row). O(rows × features).
    init(learningFrom data: TrainingSet) {
        numeric = data.numeric.map { column in
            var sum = CompensatedSum()
            var count = 0
            for v in column.values where v.isFinite {
                sum.add(v)
                count += 1
            }
            guard count > 0 else { return Numeric(name: column.name, mean: 0, scale: 1) }
            let mean = sum.value / Double(count)
            var squares = CompensatedSum()
            for v in column.values where v.isFinite { squares.add((v - mean) * (v - mean)) }
            let std = (squares.value / Double(count)).squareRoot()
            return Numeric(name: column.name, mean: mean, scale: std > 0 && std.isFinite ? std : 1)
        }
        categorical = data.categorical.map { column in
            var counts = [ExactString: Int]()
            for case let value? in column.values { counts[ExactString(value), default: 0] += 1 }
            let ranked = counts.sorted { a, b in
                a.value != b.value ? a.value > b.value : LabelOrder.codePointPrecedes(a.key.string, b.key.string)
            }
            let kept = ranked.prefix(Self.maxCategories).map(\.key.string)
            return Categorical(name: column.name, categories: kept.sorted(by: LabelOrder.codePointPrecedes))
        }
    }

    /// Encodes `data` into a row-major `rows × width` matrix. Columns are looked up by name; a missing column
    /// throws `missing_column`, a numeric feature given as text throws `invalid_data`. A categorical feature
    /// given as numbers is read through `NumberFormatting.label` ("1" for 1.0). O(rows × width).
    func encode(_ data: TrainingSet) throws(TrainerError) -> [Double] {
        try data.validate()
        let n = data.rowCount
        let width = self.width
        var numericByName = [ExactString: Int]()
        for (i, column) in data.numeric.enumerated() { numericByName[ExactString(column.name)] = i }
        var categoricalByName = [ExactString: Int]()
        for (i, column) in data.categorical.enumerated() { categoricalByName[ExactString(column.name)] = i }

        var numericValues = [[Double]]()
        for feature in numeric {
            if let i = numericByName[ExactString(feature.name)] {
                numericValues.append(data.numeric[i].values)
            } else if categoricalByName[ExactString(feature.name)] != nil {
                throw .invalidData("holds text, but the model was trained on numbers", column: feature.name)
            } else {
                throw .missingColumn(feature.name, "the model needs this feature, but the data lacks it")
            }
        }
        var categoricalValues = [[String?]]()
        for feature in categorical {
            if let i = categoricalByName[ExactString(feature.name)] {
                categoricalValues.append(data.categorical[i].values)
            } else if let i = numericByName[ExactString(feature.name)] {
                categoricalValues.append(data.numeric[i].values.map { $0.isNaN ? nil : NumberFormatting.label($0) })
            } else {
                throw .missingColumn(feature.name, "the model needs this feature, but the data lacks it")
            }
        }

        var matrix = [Double](repeating: 0, count: n * width)
        matrix.withMutableBaseAddress { out in
            for (j, feature) in numeric.enumerated() {
                let mean = feature.mean
                let inverse = 1 / feature.scale
                numericValues[j].withBaseAddress { values in
                    for r in 0..<n {
                        let v = values[r]
                        out[r * width + j] = v.isFinite ? (v - mean) * inverse : 0
                    }
                }
            }
            var offset = numeric.count
            for (f, feature) in categorical.enumerated() {
                let slots = feature.categories.count
                var slotOf = [ExactString: Int](minimumCapacity: slots)
                for (k, category) in feature.categories.enumerated() { slotOf[ExactString(category)] = k }
                let strings = categoricalValues[f]
                for r in 0..<n {
                    let slot: Int
                    if let value = strings[r] {
                        slot = slotOf[ExactString(value)] ?? slots
                    } else {
                        slot = slots + 1
                    }
                    out[r * width + offset + slot] = 1
                }
                offset += slots + 2
            }
        }
        return matrix
    }

    /// Checks a decoded encoding: finite means, positive finite scales, unique names.
    func validate() throws(TrainerError) {
        var seen = Set<ExactString>()
        for feature in numeric {
            guard feature.mean.isFinite, feature.scale.isFinite, feature.scale > 0 else {
                throw .malformedArtifact("numeric feature '\(feature.name)' needs a finite mean and a positive scale")
            }
            guard seen.insert(ExactString(feature.name)).inserted else {
                throw .malformedArtifact("feature '\(feature.name)' appears twice")
            }
        }
        for feature in categorical {
            guard seen.insert(ExactString(feature.name)).inserted else {
                throw .malformedArtifact("feature '\(feature.name)' appears twice")
            }
            guard Set(feature.categories.map(ExactString.init)).count == feature.categories.count else {
                throw .malformedArtifact("categorical feature '\(feature.name)' lists a category twice")
            }
        }
    }
}
