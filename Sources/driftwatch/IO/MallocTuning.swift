import CMalloc

/// glibc malloc settings for commands that parse large files: blocks up to 32 MB (column buffers) come
/// from the heap rather than fresh mappings, and freed memory is kept for reuse instead of being returned
/// to the kernel, so the second file's buffers reuse the first file's pages and the kernel does not clear
/// them again (clearing fresh pages was a sixth of `driftwatch drift`'s CPU time).
enum MallocTuning {
    static func keepFreedMemory() {
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
    }
}
