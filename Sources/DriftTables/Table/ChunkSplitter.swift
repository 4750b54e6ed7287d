/// A run of whole rows: bytes `start..<end`, the first starting on physical line `line`.
struct Chunk {
    var start: Int
    var end: Int
    var line: Int
}

/// Splits CSV bytes into runs of whole rows for parallel parsing: each split moves forward to just after
/// the next newline. A split can only be wrong inside a quoted field that holds a newline; the run before
/// it then ends inside an open quote, which its parser reports as a failure, and the reader parses the
/// whole input again on one thread. So a parse whose runs all succeed equals the sequential parse.
/// Lines are counted per run, starting at 1, and offset afterwards.
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
        var chunks = [Chunk(start: start, end: all.count, line: line)]
        for i in 1..<pieces {
            var j = start + i * (size / pieces)
            while j < all.count, all[j] != 0x0A { j += 1 }
            let boundary = j + 1
            guard boundary < all.count, boundary > chunks[chunks.count - 1].start else { continue }
            chunks[chunks.count - 1].end = boundary
            chunks.append(Chunk(start: boundary, end: all.count, line: 1))
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
