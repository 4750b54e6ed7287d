import Dispatch
import DriftCore
import DriftReport
import DriftStats
import DriftTables

/// Loads the two tables, lines up their columns and runs the drift evaluation on all cores; for reports,
/// also each column's display distribution (from the sorted samples the tests use, O(bins · log n) more per
/// column) and the error analysis.
package struct TableComparison {
    package let referencePath: String
    package let currentPath: String
    package let columns: [String]?
    package let categorical: Set<String>
    package let options: DriftOptions
    package let threads: Int
    /// Compute the distributions an HTML report draws.
    package var distributions = false
    /// Label and prediction columns (and task) for the error analysis.
    package var errorAnalysis: DriftErrorAnalysis?

    package init(
        referencePath: String,
        currentPath: String,
        columns: [String]? = nil,
        categorical: Set<String>,
        options: DriftOptions,
        threads: Int,
        errorAnalysis: DriftErrorAnalysis? = nil
    ) {
        self.referencePath = referencePath
        self.currentPath = currentPath
        self.columns = columns
        self.categorical = categorical
        self.options = options
        self.threads = threads
        self.errorAnalysis = errorAnalysis
    }

    package struct Result {
        package let comparison: DriftComparison
        package let warnings: [String]
        package var distributions: [String: Distribution] = [:]
        package var errorAnalysis: ErrorAnalysis?

        package var report: ComparisonReport {
            ComparisonReport(comparison: comparison, distributions: distributions, errorAnalysis: errorAnalysis)
        }
    }

    package func run() throws -> Result {
        let (reference, current) = try load()
        var warnings: [String] = []
        let names = try sharedColumns(reference, current, warnings: &warnings)
        warnings += Self.missingValueWarnings(names, [reference, current])
        let work: [(String, ReadColumns.Column, ReadColumns.Column)] = names.compactMap { name in
            guard let r = reference.column(name), let c = current.column(name) else { return nil }
            return (name, r, c)
        }
        let evaluated = evaluate(work)
        var results = evaluated.columns
        for column in results {
            if column.type == .numeric, column.referenceCount == 0 || column.currentCount == 0 {
                warnings.append("column '\(column.name)': no finite values on one side; its tests are not defined")
            }
        }
        let dataset = DriftEvaluator.conclude(&results, options: options)
        let comparison = DriftComparison(
            reference: .init(path: referencePath, rows: reference.rowCount),
            current: .init(path: currentPath, rows: current.rowCount), columns: results, dataset: dataset,
            correction: options.correction)
        var result = Result(comparison: comparison, warnings: warnings)
        for (i, item) in work.enumerated() { result.distributions[item.0] = evaluated.shapes[i] }
        if let errorAnalysis {
            let referenceTable = reference.table()
            let currentTable = current.table()
            let excluded: Set<String> = [errorAnalysis.label, errorAnalysis.prediction]
            let features = work.enumerated().compactMap { i, item -> DriftErrorAnalysis.Feature? in
                guard !excluded.contains(item.0), let column = currentTable.column(item.0) else { return nil }
                return DriftErrorAnalysis.Feature(name: item.0, current: column, cutPoints: evaluated.deciles[i])
            }
            result.errorAnalysis = try errorAnalysis.run(
                reference: referenceTable, current: currentTable, features: features)
        }
        return result
    }

    /// Reads both files; the current one with the reference's column types, so a bad value is named as such.
    func load() throws -> (ReadColumns, ReadColumns) {
        var readOptions = TableReadOptions()
        readOptions.categorical = categorical
        readOptions.maxThreads = threads
        if let columns { readOptions.columns = Set(columns) }
        let reference = try TableLoader.loadColumns(referencePath, options: readOptions)
        var currentOptions = readOptions
        for (name, column) in zip(reference.columnNames, reference.columns) {
            currentOptions.types[name] = column.isNumeric ? .numeric : .categorical
        }
        return (reference, try TableLoader.loadColumns(currentPath, options: currentOptions))
    }

    /// The columns to compare: those asked for (each must be in both files), else those the files share
    /// (a warning names the others).
    func sharedColumns(_ reference: ReadColumns, _ current: ReadColumns, warnings: inout [String]) throws -> [String] {
        if let columns {
            for name in columns {
                for table in [reference, current] where table.column(name) == nil {
                    throw TableError(
                        .unknownColumn, file: table.source, line: 1, column: name,
                        "no such column (the header has: \(table.columnNames.prefix(20).joined(separator: ", ")))")
                }
            }
            return columns
        }
        let shared = Set(current.columnNames)
        let names = reference.columnNames.filter { shared.contains($0) }
        let onlyReference = reference.columnNames.filter { !shared.contains($0) }
        let onlyCurrent = current.columnNames.filter { !Set(reference.columnNames).contains($0) }
        if !onlyReference.isEmpty {
            warnings.append(
                "\(referencePath): columns not in the current file are skipped: \(onlyReference.joined(separator: ", "))"
            )
        }
        if !onlyCurrent.isEmpty {
            warnings.append(
                "\(currentPath): columns not in the reference file are skipped: \(onlyCurrent.joined(separator: ", "))")
        }
        guard !names.isEmpty else {
            throw TableError(.unknownColumn, file: currentPath, line: 1, "the two files share no column")
        }
        return names
    }

    /// A warning for each compared column with missing values, per file.
    static func missingValueWarnings(_ names: [String], _ tables: [ReadColumns]) -> [String] {
        var warnings: [String] = []
        for name in names {
            for table in tables {
                if let column = table.column(name), column.missingCount > 0 {
                    warnings.append(
                        "\(table.source): column '\(name)': \(column.missingCount) missing value\(column.missingCount == 1 ? "" : "s") (first on line \(column.firstMissingLine ?? 0)), left out of the tests"
                    )
                }
            }
        }
        return warnings
    }

    /// Every column's tests on all cores, with the report's distributions and the error analysis's
    /// deciles when asked for.
    func evaluate(
        _ work: [(String, ReadColumns.Column, ReadColumns.Column)]
    ) -> (
        columns: [ColumnDrift], shapes: [Distribution?], deciles: [[Double]?]
    ) {
        let slots = ResultSlots<ColumnDrift>(count: work.count)
        let options = self.options
        let shared = SharedWork(items: work)
        let wantDistributions = distributions
        let wantDeciles = errorAnalysis != nil
        let shapes = ResultSlots<Distribution>(count: work.count)
        let deciles = ResultSlots<[Double]>(count: work.count)
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            let (name, r, c) = shared.items[i]
            let type: ColumnType = r.isNumeric ? .numeric : .categorical
            if !wantDeciles, case .numeric(let rv, let rm, _) = r, case .numeric(let cv, let cm, _) = c {
                // Bucketed, not sorted (same figures), where the parser left the values; the report's
                // distributions read the same buckets.
                var (rb, cb) = BucketedSample.pair(reference: rv, current: cv)
                if wantDistributions {
                    rb.request(Distribution.ranksNeeded(count: rb.count).map { rb.bucket(ofRank: $0) })
                    cb.request(Distribution.ranksNeeded(count: cb.count).map { cb.bucket(ofRank: $0) })
                }
                slots[i] = DriftEvaluator.evaluateNumeric(
                    name: name, reference: &rb, referenceMissing: rm, current: &cb, currentMissing: cm, options: options
                )
                if wantDistributions { shapes[i] = Distribution.numeric(reference: &rb, current: &cb) }
                return
            }
            let referenceSample = ColumnSample.from(r.tableColumn, as: type)
            let currentSample = ColumnSample.from(c.tableColumn, as: type)
            slots[i] = DriftEvaluator.evaluate(
                name: name, type: type, reference: referenceSample, current: currentSample, options: options)
            switch (referenceSample, currentSample) {
            case (.numeric(let a, _, _), .numeric(let b, _, _)):
                if wantDistributions {
                    shapes[i] = Distribution.numeric(referenceSorted: a.values, currentSorted: b.values)
                }
                if wantDeciles { deciles[i] = ErrorAnalysisBuilder.deciles(sorted: a.values) }
            case (.categorical(let a, _), .categorical(let b, _)):
                if wantDistributions { shapes[i] = Distribution.categorical(reference: a, current: b) }
            default:
                break
            }
        }
        return (slots.values.compactMap { $0 }, shapes.values, deciles.values)
    }
}

/// Read-only inputs shared by concurrent iterations.
package struct SharedWork: Sendable {
    package let items: [(String, ReadColumns.Column, ReadColumns.Column)]
}
