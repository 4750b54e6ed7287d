#if canImport(Glibc)
    import Glibc
#endif

/// Asks the kernel to back large, not yet touched allocations with transparent huge pages, so that
/// filling a column of millions of values takes hundreds of page faults instead of hundreds of
/// thousands. Only advice: a kernel without huge pages ignores it.
enum HugePages {
    static let size = 2 << 20

    /// Advises the whole 2 MiB pages inside `bytes` bytes from `pointer` (before they are written).
    static func advise(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        #if canImport(Glibc)
            guard bytes >= 2 * size else { return }
            let start = (Int(bitPattern: pointer) + size - 1) & ~(size - 1)
            let end = (Int(bitPattern: pointer) + bytes) & ~(size - 1)
            guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
