import Dispatch

/// A run of whole rows: bytes `start..<end`, the first starting on physical line `line`.
struct Chunk {
    var start: Int
    var end: Int
    var line: Int
}

/// Splits CSV bytes into runs of whole rows for parallel parsing. Counts quotes and newlines per region
/// in parallel, derives whether each region starts inside a quoted field, and moves each split forward to
/// just after the next newline outside quotes. The parsers check the result (a run must end where the
/// next begins), so malformed quoting can only cost a re-parse, never a wrong row.
enum ChunkSplitter {
    /// Inputs below this size are parsed on one thread.
    static let minimumParallelBytes = 1 << 22

    static func split(_ all: UnsafeBufferPointer<UInt8>, from start: Int, line: Int, threads: Int) -> [Chunk] {
        let size = all.count - start
        let cores = threads > 0 ? threads : max(1, activeProcessorCount())
        let pieces = min(cores * 4, max(1, size / (minimumParallelBytes / 4)))
        guard size >= minimumParallelBytes, cores > 1, pieces > 1 else {
            return [Chunk(start: start, end: all.count, line: line)]
        }
        let regionSize = size / pieces
        let regionStarts = (0..<pieces).map { start + $0 * regionSize }
        let counts = ResultSlots<(quotes: Int, newlines: Int)>(count: pieces)
        let shared = SharedBytes(buffer: all)
        DispatchQueue.concurrentPerform(iterations: pieces) { i in
            let all = shared.buffer
            let lo = regionStarts[i]
            let hi = i + 1 < pieces ? regionStarts[i + 1] : all.count
            var quotes = 0
            var newlines = 0
            var j = lo
            while j < hi {
                let b = all[j]
                quotes &+= b == 0x22 ? 1 : 0
                newlines &+= b == 0x0A ? 1 : 0
                j += 1
            }
            counts[i] = (quotes, newlines)
        }
        var chunks = [Chunk(start: start, end: all.count, line: line)]
        var quotesBefore = 0
        var linesBefore = 0
        for i in 1..<pieces {
            quotesBefore += counts[i - 1]?.quotes ?? 0
            linesBefore += counts[i - 1]?.newlines ?? 0
            var inQuotes = quotesBefore % 2 == 1
            var j = regionStarts[i]
            var lineAt = line + linesBefore
            // Find the first newline outside quotes at or after the region start.
            while j < all.count {
                let b = all[j]
                if b == 0x22 {
                    inQuotes.toggle()
                } else if b == 0x0A {
                    lineAt += 1
                    if !inQuotes { break }
                }
                j += 1
            }
            let boundary = j + 1
            guard boundary < all.count, boundary > chunks[chunks.count - 1].start else { continue }
            chunks[chunks.count - 1].end = boundary
            chunks.append(Chunk(start: boundary, end: all.count, line: lineAt))
        }
        return chunks
    }

    static func activeProcessorCount() -> Int {
        #if canImport(Glibc)
            return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
            return 2
        #endif
    }
}

#if canImport(Glibc)
    import Glibc
#endif
