import Dispatch
import DriftStats

/// Joins the chunks' columns into one table, remapping each chunk's category codes to shared ones; one
/// column per task, on all cores.
enum ColumnAssembler {
    static func assemble(
        _ parts: [ParsedChunk], header: [String], types: [ColumnType?], wanted: [Bool], source: String
    ) -> ReadColumns {
        let rows = parts.reduce(0) { $0 + $1.rows }
        let kept = header.indices.filter { types[$0] != nil }
        let results = ResultSlots<ReadColumns.Column>(count: kept.count)
        let shared = FinishedChunks(parts: parts)
        let owner = ChunkOwner(parts.map(\.columns))
        DispatchQueue.concurrentPerform(iterations: kept.count) { k in
            let i = kept[k]
            if types[i] == .numeric {
                let p = shared.parts
                results[k] = .numeric(
                    DoubleRuns(
                        runs: p.map { UnsafeBufferPointer(start: $0.columns.numeric[$0.slots[i]], count: $0.rows) },
                        owner: owner),
                    missing: p.reduce(0) { $0 + ($1.missing[i] ?? 0) },
                    firstMissingLine: p.lazy.compactMap { $0.firstMissingLine[i] }.first)
            } else {
                results[k] = .categorical(column(i, type: .categorical, parts: shared.parts, rows: rows))
            }
        }
        return ReadColumns(
            source: source, columnNames: kept.map { header[$0] }, columns: results.values.compactMap { $0 },
            rowCount: rows)
    }

    /// The values of `runs` in one array, on huge pages where the kernel allows.
    static func concatenate(_ runs: DoubleRuns) -> [Double] {
        [Double](unsafeUninitializedCapacity: runs.count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            HugePages.advise(UnsafeMutableRawPointer(base), bytes: runs.count * MemoryLayout<Double>.stride)
            var at = 0
            runs.withRuns { runs in
                for run in runs {
                    if let start = run.baseAddress { (base + at).initialize(from: start, count: run.count) }
                    at += run.count
                }
            }
            initialized = runs.count
        }
    }

    /// Header column `i` of every chunk, in order.
    static func column(_ i: Int, type: ColumnType, parts: [ParsedChunk], rows: Int) -> TableColumn {
        let missing = parts.reduce(0) { $0 + ($1.missing[i] ?? 0) }
        let firstMissing = parts.lazy.compactMap { $0.firstMissingLine[i] }.first
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
            return .numeric(values: values, missing: missing, firstMissingLine: firstMissing)
        case .categorical:
            var categories: [String] = []
            var index: [String: Int32] = [:]
            let remaps: [[Int32]] = parts.map { p in
                (p.dictionaries[i]?.strings ?? []).map { s in
                    if let c = index[s] { return c }
                    let c = Int32(categories.count)
                    categories.append(s)
                    index[s] = c
                    return c
                }
            }
            let codes = [Int32](unsafeUninitializedCapacity: rows) { buffer, initialized in
                var at = 0
                for (p, remap) in zip(parts, remaps) {
                    let chunkCodes = p.columns.codes[p.slots[i]]
                    remap.withUnsafeBufferPointer { remap in
                        for r in 0..<p.rows {
                            let c = chunkCodes[r]
                            buffer[at + r] = c < 0 ? -1 : remap[Int(c)]
                        }
                    }
                    at += p.rows
                }
                initialized = rows
            }
            return .categorical(codes: codes, categories: categories, missing: missing, firstMissingLine: firstMissing)
        }
    }
}

/// Keeps the chunks' buffers alive for the numeric runs that point into them.
final class ChunkOwner: Sendable {
    /// `nonisolated(unsafe)`: never written after creation; only held, not read.
    nonisolated(unsafe) let chunks: [ChunkColumns]
    init(_ chunks: [ChunkColumns]) { self.chunks = chunks }
}

/// The parsed chunks, read by the assembling tasks. `@unchecked Sendable`: nothing writes to the chunks
/// (or their buffers) after parsing has finished, before these tasks start.
struct FinishedChunks: @unchecked Sendable {
    let parts: [ParsedChunk]
}
