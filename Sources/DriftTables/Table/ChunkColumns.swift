/// The growing output of one chunk parse: one buffer per numeric column and per categorical column,
/// written by row index (so a row the fast path gave up on half way is simply written again), plus
/// each column's missing-cell count and first missing line. Written by one parsing thread, then read
/// by the assembler, which copies each column once into its final array; the buffers are freed with
/// the object. Unsafe buffers instead of arrays keep reference counting and uniqueness checks out of
/// the per-cell loop.
final class ChunkColumns {
    /// Column `i` of each kind starts at `numeric[i]` / `codes[i]`, inside one slab per kind.
    private(set) var numeric: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    private(set) var codes: UnsafeMutablePointer<UnsafeMutablePointer<Int32>>
    private var numericSlab: UnsafeMutablePointer<Double>
    private var codeSlab: UnsafeMutablePointer<Int32>
    /// Per column of the header: missing cells, and the line of the first (0: none yet).
    let missing: UnsafeMutablePointer<Int>
    let firstMissing: UnsafeMutablePointer<Int>
    let numericCount: Int
    let categoricalCount: Int
    private(set) var capacity: Int

    init(columns: Int, numeric numericCount: Int, categorical categoricalCount: Int, rows: Int) {
        self.numericCount = numericCount
        self.categoricalCount = categoricalCount
        capacity = max(16, rows)
        numeric = .allocate(capacity: max(1, numericCount))
        codes = .allocate(capacity: max(1, categoricalCount))
        numericSlab = Self.allocate(max(1, numericCount) * capacity)
        codeSlab = Self.allocate(max(1, categoricalCount) * capacity)
        for i in 0..<numericCount { numeric[i] = numericSlab + i * capacity }
        for i in 0..<categoricalCount { codes[i] = codeSlab + i * capacity }
        missing = .allocate(capacity: max(1, columns))
        missing.initialize(repeating: 0, count: max(1, columns))
        firstMissing = .allocate(capacity: max(1, columns))
        firstMissing.initialize(repeating: 0, count: max(1, columns))
    }

    /// Makes room for row index `row`.
    @inline(__always)
    func reserve(row: Int) {
        if row >= capacity { grow(to: max(row + 1, capacity * 2)) }
    }

    @inline(never)
    private func grow(to newCapacity: Int) {
        numericSlab = Self.moved(numericSlab, columns: numeric, count: numericCount, from: capacity, to: newCapacity)
        codeSlab = Self.moved(codeSlab, columns: codes, count: categoricalCount, from: capacity, to: newCapacity)
        capacity = newCapacity
    }

    /// A bigger slab with each of `count` columns moved to its new place (`columns` updated); the old
    /// slab is freed.
    private static func moved<T>(
        _ slab: UnsafeMutablePointer<T>, columns: UnsafeMutablePointer<UnsafeMutablePointer<T>>, count: Int,
        from oldCapacity: Int, to newCapacity: Int
    ) -> UnsafeMutablePointer<T> {
        let bigger: UnsafeMutablePointer<T> = allocate(max(1, count) * newCapacity)
        for i in 0..<count {
            (bigger + i * newCapacity).moveInitialize(from: columns[i], count: oldCapacity)
            columns[i] = bigger + i * newCapacity
        }
        slab.deallocate()
        return bigger
    }

    /// Counts a missing cell of header column `column` on `line`.
    @inline(__always)
    func countMissing(column: Int, line: Int) {
        missing[column] &+= 1
        if firstMissing[column] == 0 { firstMissing[column] = line }
    }

    /// An uninitialised buffer, backed by huge pages where the kernel allows (fewer page faults).
    private static func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: count)
        HugePages.advise(UnsafeMutableRawPointer(pointer), bytes: count * MemoryLayout<T>.stride)
        return pointer
    }

    deinit {
        numericSlab.deallocate()
        codeSlab.deallocate()
        numeric.deallocate()
        codes.deallocate()
        missing.deallocate()
        firstMissing.deallocate()
    }
}
