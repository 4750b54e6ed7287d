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
                let values = [Double](unsafeUninitializedCapacity: rows) { buffer, initialized in
                    guard let base = buffer.baseAddress else { return }
                    HugePages.advise(UnsafeMutableRawPointer(base), bytes: rows * MemoryLayout<Double>.stride)
                    var at = 0
                    for p in parts {
                        (base + at).initialize(from: p.columns.numeric[p.slots[i]], count: p.rows)
                        at += p.rows
                    }
                    initialized = rows
                }
                columns.append(.numeric(values: values, missing: missing, firstMissingLine: firstMissing))
            case .categorical:
                var categories: [String] = []
                var index: [String: Int32] = [:]
                var codes: [Int32] = []
                codes.reserveCapacity(rows)
                for p in parts {
                    let local = p.dictionaries[i]?.strings ?? []
                    let chunkCodes = p.columns.codes[p.slots[i]]
                    let remap: [Int32] = local.map { s in
                        if let c = index[s] { return c }
                        let c = Int32(categories.count)
                        categories.append(s)
                        index[s] = c
                        return c
                    }
                    for r in 0..<p.rows {
                        let c = chunkCodes[r]
                        codes.append(c < 0 ? -1 : remap[Int(c)])
                    }
                }
                columns.append(
                    .categorical(codes: codes, categories: categories, missing: missing, firstMissingLine: firstMissing)
                )
            }
        }
        return Table(source: source, columnNames: names, columns: columns, rowCount: rows)
    }
}
