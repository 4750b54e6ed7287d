/// Joins the chunks' columns into one table, remapping each chunk's category codes to shared ones.
enum ColumnAssembler {
    static func assemble(
        _ parts: [ParsedChunk], header: [String], types: [ColumnType?], wanted: [Bool], source: String
    ) -> Table {
        let rows = parts.reduce(0) { $0 + $1.rows }
        var names: [String] = []
        var columns: [TableColumn] = []
        for (i, name) in header.enumerated() {
            guard let type = types[i] else { continue }
            let missing = parts.reduce(0) { $0 + ($1.missing[i] ?? 0) }
            let firstMissing = parts.lazy.compactMap { $0.firstMissingLine[i] }.first
            names.append(name)
            switch type {
            case .numeric:
                var values: [Double] = []
                values.reserveCapacity(rows)
                for p in parts { values.append(contentsOf: p.numeric[i] ?? []) }
                columns.append(.numeric(values: values, missing: missing, firstMissingLine: firstMissing))
            case .categorical:
                var categories: [String] = []
                var index: [String: Int32] = [:]
                var codes: [Int32] = []
                codes.reserveCapacity(rows)
                for p in parts {
                    let local = p.dictionaries[i]?.strings ?? []
                    let remap: [Int32] = local.map { s in
                        if let c = index[s] { return c }
                        let c = Int32(categories.count)
                        categories.append(s)
                        index[s] = c
                        return c
                    }
                    for c in p.codes[i] ?? [] { codes.append(c < 0 ? -1 : remap[Int(c)]) }
                }
                columns.append(
                    .categorical(codes: codes, categories: categories, missing: missing, firstMissingLine: firstMissing)
                )
            }
        }
        return Table(source: source, columnNames: names, columns: columns, rowCount: rows)
    }
}
