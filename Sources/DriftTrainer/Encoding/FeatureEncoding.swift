import DriftCore
import DriftStats
import DriftTables

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
            column.values.withBaseAddress { values in
                let n = column.values.count
                let (sum, count) = PairwiseMoments.sum(values, n, center: nil)
                guard count > 0 else { return Numeric(name: column.name, mean: 0, scale: 1) }
                let mean = sum / Double(count)
                let std = (PairwiseMoments.sum(values, n, center: mean).sum / Double(count)).squareRoot()
                return Numeric(name: column.name, mean: mean, scale: std > 0 && std.isFinite ? std : 1)
            }
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
        let (numericValues, categoricalValues) = try columns(of: data)
        let n = data.rowCount
        let width = self.width
        // Filled in blocks of rows so that each block of the output stays in cache while its columns are written.
        let matrix = [Double](unsafeUninitializedCapacity: n * width) { buffer, initialized in
            guard let out = buffer.baseAddress else {
                initialized = 0
                return
            }
            out.initialize(repeating: 0, count: n * width)
            let block = 512
            let slotTables = self.slotTables()
            var first = 0
            while first < n {
                let last = min(n, first + block)
                fill(
                    out, rows: first..<last, width: width, numericValues: numericValues,
                    categoricalValues: categoricalValues, slotTables: slotTables)
                first = last
            }
            initialized = n * width
        }
        return matrix
    }

    /// The columns of `data` the features read, in the encoding's order: numeric values, and categorical
    /// values (a numeric column read as labels). Throws for a missing column or text given for a numeric one.
    private func columns(of data: TrainingSet) throws(TrainerError) -> ([[Double]], [[String?]]) {
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
        return (numericValues, categoricalValues)
    }

    /// Per categorical feature, the one-hot slot of each of its categories.
    private func slotTables() -> [[ExactString: Int]] {
        var slotTables = [[ExactString: Int]]()
        for feature in categorical {
            var slotOf = [ExactString: Int](minimumCapacity: feature.categories.count)
            for (k, category) in feature.categories.enumerated() { slotOf[ExactString(category)] = k }
            slotTables.append(slotOf)
        }
        return slotTables
    }

    /// Writes `rows` of the zeroed row-major matrix `out` (`width` columns): the standardised numeric features,
    /// then a 1 in each categorical feature's slot (its category's, `other` or `missing`).
    private func fill(
        _ out: UnsafeMutablePointer<Double>, rows: Range<Int>, width: Int, numericValues: [[Double]],
        categoricalValues: [[String?]], slotTables: [[ExactString: Int]]
    ) {
        for (j, feature) in numeric.enumerated() {
            let mean = feature.mean
            let inverse = 1 / feature.scale
            numericValues[j].withBaseAddress { values in
                for r in rows {
                    let v = values[r]
                    out[r * width + j] = v.isFinite ? (v - mean) * inverse : 0
                }
            }
        }
        var offset = numeric.count
        for (f, feature) in categorical.enumerated() {
            let slots = feature.categories.count
            for r in rows {
                let slot: Int
                if let value = categoricalValues[f][r] {
                    slot = slotTables[f][ExactString(value)] ?? slots
                } else {
                    slot = slots + 1
                }
                out[r * width + offset + slot] = 1
            }
            offset += slots + 2
        }
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

/// Sums for means and variances: numpy's pairwise summation (blocks of up to 128 values summed with 8
/// accumulators, blocks combined pairwise; error O(log n · ε) instead of O(n · ε)), skipping non-finite values.
enum PairwiseMoments {
    /// `(Σ v, count)` over the finite values when `center` is nil, else `(Σ (v − center)², count)`.
    static func sum(_ values: UnsafePointer<Double>, _ n: Int, center: Double?) -> (sum: Double, count: Int) {
        if n <= 128 {
            var partial = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
            var finite = 0
            let c = center ?? 0
            let squares = center != nil
            @inline(__always) func term(_ v: Double) -> Double {
                let d = squares ? (v - c) * (v - c) : v
                return v.isFinite ? d : 0
            }
            var i = 0
            while i + 8 <= n {
                partial.0 += term(values[i])
                partial.1 += term(values[i + 1])
                partial.2 += term(values[i + 2])
                partial.3 += term(values[i + 3])
                partial.4 += term(values[i + 4])
                partial.5 += term(values[i + 5])
                partial.6 += term(values[i + 6])
                partial.7 += term(values[i + 7])
                i += 8
            }
            var total =
                ((partial.0 + partial.1) + (partial.2 + partial.3))
                + ((partial.4 + partial.5) + (partial.6 + partial.7))
            while i < n {
                total += term(values[i])
                i += 1
            }
            for k in 0..<n { finite += values[k].isFinite ? 1 : 0 }
            return (total, finite)
        }
        let half = (n / 2) & ~7
        let left = sum(values, half, center: center)
        let right = sum(values + half, n - half, center: center)
        return (left.sum + right.sum, left.count + right.count)
    }
}
