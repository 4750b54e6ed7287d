import COpenBLAS
import Testing

/// OpenBLAS is linked and computes a matrix product correctly.
@Suite struct OpenBLASTests {
    @Test func dgemmMultipliesMatrices() {
        // A (2×3) · B (3×2), row-major.
        let a: [Double] = [1, 2, 3, 4, 5, 6]
        let b: [Double] = [7, 8, 9, 10, 11, 12]
        var c = [Double](repeating: 0, count: 4)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1.0, a, 3, b, 2, 0.0, &c, 2)
        #expect(c == [58, 64, 139, 154])
    }

    @Test func threadCountCanBeSet() {
        openblas_set_num_threads(1)
        #expect(openblas_get_num_threads() == 1)
    }
}
