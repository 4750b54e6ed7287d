/// Ridge regression solved exactly.
///
/// Minimises `½ Σᵢ (yᵢ − xᵢ·w − b)² + (λ/2) ‖w‖²` (the intercept b unpenalised) — scikit-learn's
/// `Ridge(alpha=λ)` objective up to the factor ½ — through the normal equations of the augmented design
/// `A = [X 1]`: `(AᵀA + λ·diag(1,…,1,0)) [w; b] = Aᵀy`. `AᵀA` and `Aᵀy` are accumulated with `cblas_dgemm` over
/// blocks of 4,096 rows; the (d+1)×(d+1) system is solved by Cholesky factorisation. When it is not positive
/// definite (λ = 0 with collinear columns, e.g. one-hot slots that sum to the intercept), a diagonal jitter
/// of 1e-10, 1e-8, … × the mean diagonal is added to the weight block (the minimum-norm tendency of a tiny ridge).
/// O(n d² + d³).
enum RidgeSolver {
    /// The solution `[w₀…w_{d−1}, b]` for the rows `rows` of the row-major `x` (width `d`) and targets `y`.
    static func solve(
        x: [Double], width d: Int, y: [Double], rows: [Int], l2: Double
    ) throws(TrainerError)
        -> [Double]
    {
        let n = d + 1
        let chunk = 4096
        var gram = [Double](repeating: 0, count: n * n)
        var moment = [Double](repeating: 0, count: n)
        var block = [Double](repeating: 0, count: min(chunk, max(rows.count, 1)) * n)
        var targets = [Double](repeating: 0, count: min(chunk, max(rows.count, 1)))
        var start = 0
        while start < rows.count {
            let count = min(chunk, rows.count - start)
            for i in 0..<count {
                let row = rows[start + i]
                for j in 0..<d { block[i * n + j] = x[row * d + j] }
                block[i * n + d] = 1
                targets[i] = y[row]
            }
            block.withBaseAddress { a in
                gram.withMutableBaseAddress { g in
                    BLAS.gemm(
                        transposeA: true, transposeB: false, m: n, n: n, k: count, alpha: 1, a: a, lda: n, b: a,
                        ldb: n, beta: 1, c: g, ldc: n)
                }
                targets.withBaseAddress { t in
                    moment.withMutableBaseAddress { r in
                        BLAS.gemm(
                            transposeA: true, transposeB: false, m: n, n: 1, k: count, alpha: 1, a: a, lda: n, b: t,
                            ldb: 1, beta: 1, c: r, ldc: 1)
                    }
                }
            }
            start += count
        }
        for j in 0..<d { gram[j * n + j] += l2 }
        let meanDiagonal = max(1e-300, (0..<n).reduce(0.0) { $0 + gram[$1 * n + $1] } / Double(n))
        var jitter = 0.0
        for _ in 0..<6 {
            var system = gram
            for j in 0..<d { system[j * n + j] += jitter }
            if let solution = choleskySolve(&system, moment, size: n), solution.allSatisfy(\.isFinite) {
                return solution
            }
            jitter = jitter == 0 ? 1e-10 * meanDiagonal : jitter * 100
        }
        throw TrainerError(
            code: .numericalFailure, message: "the ridge system could not be solved; try a larger l2 penalty")
    }

    /// Solves `G s = r` for symmetric positive definite G (row-major, overwritten by its Cholesky factor L,
    /// `G = L Lᵀ`); nil when a pivot is not positive. O(size³/3).
    static func choleskySolve(_ g: inout [Double], _ r: [Double], size n: Int) -> [Double]? {
        for j in 0..<n {
            var diagonal = g[j * n + j]
            for k in 0..<j { diagonal -= g[j * n + k] * g[j * n + k] }
            guard diagonal > 0, diagonal.isFinite else { return nil }
            let pivot = diagonal.squareRoot()
            g[j * n + j] = pivot
            for i in (j + 1)..<max(j + 1, n) {
                var value = g[i * n + j]
                for k in 0..<j { value -= g[i * n + k] * g[j * n + k] }
                g[i * n + j] = value / pivot
            }
        }
        var s = r
        for i in 0..<n {  // L z = r
            var value = s[i]
            for k in 0..<i { value -= g[i * n + k] * s[k] }
            s[i] = value / g[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {  // Lᵀ s = z
            var value = s[i]
            for k in (i + 1)..<max(i + 1, n) { value -= g[k * n + i] * s[k] }
            s[i] = value / g[i * n + i]
        }
        return s
    }
}
