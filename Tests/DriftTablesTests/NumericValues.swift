import DriftTables

extension TableColumn {
    /// The values of a numeric column (nil for a categorical one): `try #require(column.numericValues)`.
    var numericValues: [Double]? {
        if case .numeric(let values, _, _) = self { return values }
        return nil
    }
}
