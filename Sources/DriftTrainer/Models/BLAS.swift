import COpenBLAS

/// Thin wrappers over OpenBLAS (row-major).
enum BLAS {
    /// `C ← α · op(A) · op(B) + β · C` with `op(A)` m × k, `op(B)` k × n and C m × n, all row-major with leading
    /// dimensions `lda`, `ldb`, `ldc` (`cblas_dgemm`). Dimensions must fit in `Int32` (callers chunk rows).
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// OpenBLAS's current thread count.
    static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count (process-wide) when it differs from the current one.
    static func setThreads(_ threads: Int) {
        let wanted = Int32(max(1, min(threads, 256)))
        if openblas_get_num_threads() != wanted { openblas_set_num_threads(wanted) }
    }
}
