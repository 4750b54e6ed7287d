/// A dense row-major square matrix on one flat buffer, for the Durbin matrix power.
struct KSSquareMatrix {
    let size: Int
    var storage: [Double]

    init(size: Int) {
        self.size = size
        self.storage = [Double](repeating: 0, count: size * size)
    }

    static func identity(size: Int) -> KSSquareMatrix {
        var matrix = KSSquareMatrix(size: size)
        for i in 0..<size { matrix[i, i] = 1 }
        return matrix
    }

    subscript(row: Int, column: Int) -> Double {
        get { storage[row * size + column] }
        set { storage[row * size + column] = newValue }
    }

    mutating func scale(by factor: Double) {
        storage.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] *= factor }
        }
    }

    /// `result = a · b` (i-k-j loop order, O(size³)); `result` must not alias `a` or `b`.
    static func multiply(_ a: KSSquareMatrix, _ b: KSSquareMatrix, into result: inout KSSquareMatrix) {
        let n = a.size
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                result.storage.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<n {
                        let rowC = i * n
                        for j in 0..<n { pc[rowC + j] = 0 }
                        for k in 0..<n {
                            let aik = pa[i * n + k]
                            if aik == 0 { continue }
                            let rowB = k * n
                            for j in 0..<n { pc[rowC + j] += aik * pb[rowB + j] }
                        }
                    }
                }
            }
        }
    }
}
