import DriftStats
import DriftTables

/// What a model's windows are compared with: per numeric feature a `ReferenceNumericProfile`, per
/// categorical feature its category counts, and the same for the model's output columns
/// (see `ProfileSchema`). Built from a CSV/NDJSON table (`init(table:schema:bins:)`) or from logged
/// traffic (`ReferenceBuilder`); stored as JSON.
package struct ReferenceProfile: Sendable, Equatable, Codable {
    /// Values per numeric column kept whole (beyond, the column is kept on its quantile grid).
    package static let defaultExactLimit = 100_000

    package var rowCount: Int
    /// In `ProfileSchema.numericFeatures` order.
    package var numeric: [ReferenceNumericProfile]
    /// In `ProfileSchema.categoricalFeatures` order.
    package var categorical: [CategoricalProfile]
    /// The predicted class (classification), when the reference has it.
    package var predictedClass: CategoricalProfile?
    /// The score (binary) or predicted value (regression), when the reference has it.
    package var predictedValue: ReferenceNumericProfile?

    package init(
        rowCount: Int, numeric: [ReferenceNumericProfile], categorical: [CategoricalProfile],
        predictedClass: CategoricalProfile?, predictedValue: ReferenceNumericProfile?
    ) {
        self.rowCount = rowCount
        self.numeric = numeric
        self.categorical = categorical
        self.predictedClass = predictedClass
        self.predictedValue = predictedValue
    }

    /// The reference of `schema` in a table read from a file: every feature must be a column (numeric
    /// features numeric); `prediction` and `score` columns are used when present.
    /// - Throws: `TableError` naming the file and the missing or mistyped column.
    package init(
        table: Table, schema: ProfileSchema, bins: Int, exactLimit: Int = ReferenceProfile.defaultExactLimit
    ) throws(TableError) {
        func column(_ name: String) throws(TableError) -> TableColumn {
            guard let column = table.column(name) else {
                throw TableError(
                    .unknownColumn, file: table.source, column: name,
                    "the reference has no column '\(name)' (every feature of the model is needed)")
            }
            return column
        }
        func numericProfile(_ column: TableColumn, _ name: String) throws(TableError) -> ReferenceNumericProfile {
            guard case .numeric = column else {
                throw TableError(
                    .nonNumericValue, file: table.source, column: name, "column '\(name)' must be numeric")
            }
            guard case .numeric(let sample, let missing, let nonFinite) = ColumnSample.from(column, as: .numeric) else {
                throw TableError(.nonNumericValue, file: table.source, column: name, "column '\(name)' must be numeric")
            }
            return ReferenceNumericProfile(
                sample: sample, missing: missing, nonFinite: nonFinite, bins: bins, exactLimit: exactLimit)
        }
        var numeric: [ReferenceNumericProfile] = []
        for feature in schema.numericFeatures {
            numeric.append(try numericProfile(try column(feature.name), feature.name))
        }
        var categorical: [CategoricalProfile] = []
        for feature in schema.categoricalFeatures {
            categorical.append(CategoricalProfile(column: try column(feature.name)))
        }
        let predictedClass = schema.predictedClassColumn.flatMap(table.column).map(CategoricalProfile.init(column:))
        var predictedValue: ReferenceNumericProfile?
        if let name = schema.predictedValueColumn, let c = table.column(name) {
            predictedValue = try numericProfile(c, name)
        }
        self.init(
            rowCount: table.rowCount, numeric: numeric, categorical: categorical, predictedClass: predictedClass,
            predictedValue: predictedValue)
    }

    /// Column-read options for a reference file of `schema`: features typed as configured.
    package static func readOptions(schema: ProfileSchema) -> TableReadOptions {
        var options = TableReadOptions()
        for f in schema.numericFeatures { options.types[f.name] = .numeric }
        for f in schema.categoricalFeatures { options.types[f.name] = .categorical }
        if let name = schema.predictedClassColumn { options.types[name] = .categorical }
        if let name = schema.predictedValueColumn, name != schema.predictedClassColumn {
            options.types[name] = .numeric
        }
        return options
    }

    /// The quantile grids windows are profiled on (the single-bin grid where a column has no reference).
    package var grids: ProfileGrids {
        ProfileGrids(numeric: numeric.map(\.grid), predictedValue: predictedValue?.grid ?? .single)
    }

    private enum CodingKeys: String, CodingKey {
        case version, rowCount = "row_count", numeric, categorical
        case predictedClass = "predicted_class", predictedValue = "predicted_value"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .version)
        try c.encode(rowCount, forKey: .rowCount)
        try c.encode(numeric, forKey: .numeric)
        try c.encode(categorical, forKey: .categorical)
        try c.encodeIfPresent(predictedClass, forKey: .predictedClass)
        try c.encodeIfPresent(predictedValue, forKey: .predictedValue)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard try c.decode(Int.self, forKey: .version) == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "unknown version"))
        }
        rowCount = try c.decode(Int.self, forKey: .rowCount)
        numeric = try c.decode([ReferenceNumericProfile].self, forKey: .numeric)
        categorical = try c.decode([CategoricalProfile].self, forKey: .categorical)
        predictedClass = try c.decodeIfPresent(CategoricalProfile.self, forKey: .predictedClass)
        predictedValue = try c.decodeIfPresent(ReferenceNumericProfile.self, forKey: .predictedValue)
    }

    /// True when the profile fits `schema` (same number of columns of each type).
    package func matches(_ schema: ProfileSchema) -> Bool {
        numeric.count == schema.numericFeatures.count && categorical.count == schema.categoricalFeatures.count
    }
}

/// The quantile grids of a reference, one per numeric column, that window profiles spill onto.
package struct ProfileGrids: Sendable, Equatable {
    package let numeric: [QuantileGrid]
    package let predictedValue: QuantileGrid

    /// Single-bin grids, for a model that has no reference yet.
    package static func none(_ schema: ProfileSchema) -> ProfileGrids {
        ProfileGrids(numeric: schema.numericFeatures.map { _ in .single }, predictedValue: .single)
    }
}

/// Accumulates the reference of logged traffic event by event (the first N events, or a time range),
/// then builds the `ReferenceProfile`. Holds the numeric values until `build` (8 bytes per value).
package struct ReferenceBuilder: Sendable {
    let schema: ProfileSchema
    let bins: Int
    var rows = 0
    var numeric: [[Double]]
    var numericMissing: [Int]
    var numericNonFinite: [Int]
    var categorical: [CategoricalProfile]
    var predictedClass = CategoricalProfile()
    var predictedValues: [Double] = []
    var predictedValueMissing = 0
    var predictedValueNonFinite = 0

    package init(schema: ProfileSchema, bins: Int) {
        self.schema = schema
        self.bins = bins
        numeric = schema.numericFeatures.map { _ in [] }
        numericMissing = schema.numericFeatures.map { _ in 0 }
        numericNonFinite = numericMissing
        categorical = schema.categoricalFeatures.map { _ in CategoricalProfile() }
    }

    /// Adds one event's values (features in schema order).
    package mutating func add(
        numeric values: [Double?], categorical labels: [String?], predictedClass: String?, predictedValue: Double?
    ) {
        rows += 1
        for i in numeric.indices {
            let v = i < values.count ? values[i] : nil
            if let v, !v.isNaN {
                if v.isFinite { numeric[i].append(v) } else { numericNonFinite[i] += 1 }
            } else {
                numericMissing[i] += 1
            }
        }
        for i in categorical.indices { categorical[i].add(i < labels.count ? labels[i] : nil) }
        self.predictedClass.add(predictedClass)
        if let v = predictedValue, !v.isNaN {
            if v.isFinite { predictedValues.append(v) } else { predictedValueNonFinite += 1 }
        } else {
            predictedValueMissing += 1
        }
    }

    /// Events added so far.
    package var count: Int { rows }

    package func build(exactLimit: Int = ReferenceProfile.defaultExactLimit) -> ReferenceProfile {
        let numericProfiles = numeric.indices.map { i in
            ReferenceNumericProfile(
                sample: SortedSample(sorting: numeric[i]), missing: numericMissing[i],
                nonFinite: numericNonFinite[i], bins: bins, exactLimit: exactLimit)
        }
        var value: ReferenceNumericProfile?
        if schema.predictedValueColumn != nil, !predictedValues.isEmpty {
            value = ReferenceNumericProfile(
                sample: SortedSample(sorting: predictedValues), missing: predictedValueMissing,
                nonFinite: predictedValueNonFinite, bins: bins, exactLimit: exactLimit)
        }
        let classes = schema.predictedClassColumn != nil && predictedClass.count > 0 ? predictedClass : nil
        return ReferenceProfile(
            rowCount: rows, numeric: numericProfiles, categorical: categorical, predictedClass: classes,
            predictedValue: value)
    }
}

extension CategoricalProfile {
    /// Counts of a table column (numbers as their printed form).
    package init(column: TableColumn) {
        self.init(counts: column.valueCounts, missing: column.missingCount)
    }
}
