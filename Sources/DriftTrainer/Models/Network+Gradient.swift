import Foundation

/// The training target in encoded form: class indices (into the model's `classes`) or standardised values.
enum EncodedTarget: Sendable, Equatable {
    case classes([Int])
    case values([Double])

    var count: Int {
        switch self {
        case .classes(let c): return c.count
        case .values(let v): return v.count
        }
    }

    /// The rows at `indices`.
    func rows(_ indices: [Int]) -> EncodedTarget {
        switch self {
        case .classes(let c): return .classes(indices.map { c[$0] })
        case .values(let v): return .values(indices.map { v[$0] })
        }
    }
}

/// Scratch buffers for a network's forward and backward passes over up to `capacity` rows (owned, freed on
/// deinit; used by one thread at a time).
final class NetworkWorkspace {
    let sizes: [Int]
    let capacity: Int
    /// `z[l]`, l in 1…L: pre-activations (`capacity × sizes[l]`); index 0 unused.
    private(set) var z: [UnsafeMutablePointer<Double>] = []
    /// `a[l]`, l in 1…L: activations (ReLU for hidden layers, the output activation for the last).
    private(set) var a: [UnsafeMutablePointer<Double>] = []
    /// Two `capacity × max(sizes)` buffers for the backward pass.
    let delta: UnsafeMutablePointer<Double>
    let deltaPrevious: UnsafeMutablePointer<Double>

    init(sizes: [Int], capacity: Int) {
        self.sizes = sizes
        self.capacity = max(1, capacity)
        let widest = sizes.max() ?? 1
        for l in 0..<sizes.count {
            let count = l == 0 ? 1 : self.capacity * sizes[l]
            z.append(.allocate(capacity: count))
            a.append(.allocate(capacity: count))
        }
        delta = .allocate(capacity: self.capacity * widest)
        deltaPrevious = .allocate(capacity: self.capacity * widest)
    }

    deinit {
        for p in z { p.deallocate() }
        for p in a { p.deallocate() }
        delta.deallocate()
        deltaPrevious.deallocate()
    }
}

extension Network {
    /// Forward pass over `rows` rows of `x` (row-major, `rows × sizes[0]`): `z_{l+1} = a_l W_l + b_l`
    /// (`cblas_dgemm`), `a_{l+1} = max(0, z_{l+1})` on hidden layers and the output activation on the last
    /// (softmax computed as `exp(z − max z) / Σ`, stable). Results in `workspace.a[L]`. O(rows × Σ sizes[l]·sizes[l+1]).
    func forward(
        parameters p: UnsafePointer<Double>, x: UnsafePointer<Double>, rows: Int, workspace ws: NetworkWorkspace
    ) {
        let L = layerCount
        var input = x
        for l in 0..<L {
            let nIn = sizes[l]
            let nOut = sizes[l + 1]
            let zl = ws.z[l + 1]
            let bias = p + biasOffset(l)
            for r in 0..<rows { (zl + r * nOut).update(from: bias, count: nOut) }
            if nIn > 0 {
                BLAS.gemm(
                    transposeA: false, transposeB: false, m: rows, n: nOut, k: nIn, alpha: 1, a: input, lda: nIn,
                    b: p + weightOffset(l), ldb: nOut, beta: 1, c: zl, ldc: nOut)
            }
            let al = ws.a[l + 1]
            if l < L - 1 {
                for i in 0..<(rows * nOut) { al[i] = max(0, zl[i]) }
            } else {
                switch output {
                case .identity:
                    al.update(from: zl, count: rows * nOut)
                case .sigmoid:
                    for i in 0..<(rows * nOut) { al[i] = Self.sigmoid(zl[i]) }
                case .softmax:
                    for r in 0..<rows {
                        let zr = zl + r * nOut
                        let ar = al + r * nOut
                        var m = -Double.infinity
                        for k in 0..<nOut { m = max(m, zr[k]) }
                        var sum = 0.0
                        for k in 0..<nOut {
                            ar[k] = exp(zr[k] - m)
                            sum += ar[k]
                        }
                        let inverse = 1 / sum
                        for k in 0..<nOut { ar[k] *= inverse }
                    }
                }
            }
            input = UnsafePointer(al)
        }
    }

    /// `σ(z) = 1 / (1 + e^{−z})`, evaluated without overflow for either sign.
    @inline(__always)
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }

    /// `softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^{−|z|})` (no overflow, accurate for large |z|).
    @inline(__always)
    static func softplus(_ z: Double) -> Double { max(z, 0) + log1p(exp(-abs(z))) }

    /// Per-row loss of row `r` after `forward` (see `OutputActivation`): exact formulas on the
    /// pre-activations, so the log-loss is accurate even where p rounds to 0 or 1.
    @inline(__always)
    func rowLoss(
        _ r: Int, classes: UnsafePointer<Int>?, values: UnsafePointer<Double>?, workspace ws: NetworkWorkspace
    )
        -> Double
    {
        let k = outputs
        let zr = ws.z[layerCount] + r * k
        switch output {
        case .identity:
            let d = zr[0] - (values?[r] ?? 0)
            return 0.5 * d * d
        case .sigmoid:
            let y = Double(classes?[r] ?? 0)
            return Self.softplus(zr[0]) - y * zr[0]
        case .softmax:
            var m = -Double.infinity
            for j in 0..<k { m = max(m, zr[j]) }
            var sum = 0.0
            for j in 0..<k { sum += exp(zr[j] - m) }
            return m + log(sum) - zr[classes?[r] ?? 0]
        }
    }

    /// The mini-batch objective and its gradient by backpropagation:
    /// `J = (1/B) Σ_r c_r · loss_r + (penalty/2) Σ_l ‖W_l‖²` over the `rows` = B rows of `x`, with `c_r` the row
    /// weights (1 when nil) and `penalty = l2 / N` (see `Hyperparameters`). The gradient is written to
    /// `gradient` (same layout as `parameters`): output delta `δ_L = c_r (p − y) / B` for every output
    /// activation (the canonical link of each loss), `∇W_l = a_lᵀ δ_{l+1} + penalty · W_l`, `∇b_l = Σ_rows δ_{l+1}`,
    /// `δ_l = (δ_{l+1} W_lᵀ) ⊙ 1[z_l > 0]` — each product a `cblas_dgemm`. O(B × Σ sizes[l]·sizes[l+1]).
    /// With `computeLoss` false only the gradient is computed (and 0 returned), saving the per-row logarithms.
    func lossAndGradient(
        parameters p: UnsafePointer<Double>, x: UnsafePointer<Double>, rows: Int, classes: UnsafePointer<Int>?,
        values: UnsafePointer<Double>?, rowWeights: UnsafePointer<Double>?, penalty: Double,
        gradient g: UnsafeMutablePointer<Double>, workspace ws: NetworkWorkspace, computeLoss: Bool = true
    ) -> Double {
        forward(parameters: p, x: x, rows: rows, workspace: ws)
        let L = layerCount
        let k = outputs
        let inverseRows = 1 / Double(max(rows, 1))
        var loss = 0.0
        // Output delta.
        let delta = ws.delta
        let probabilities = ws.a[L]
        for r in 0..<rows {
            let weight = (rowWeights?[r] ?? 1) * inverseRows
            if computeLoss { loss += weight * rowLoss(r, classes: classes, values: values, workspace: ws) }
            let dr = delta + r * k
            let pr = probabilities + r * k
            switch output {
            case .identity:
                dr[0] = weight * (pr[0] - (values?[r] ?? 0))
            case .sigmoid:
                dr[0] = weight * (pr[0] - Double(classes?[r] ?? 0))
            case .softmax:
                let y = classes?[r] ?? 0
                for j in 0..<k { dr[j] = weight * (pr[j] - (j == y ? 1 : 0)) }
            }
        }
        var current = ws.delta
        var previous = ws.deltaPrevious
        for l in stride(from: L - 1, through: 0, by: -1) {
            let nIn = sizes[l]
            let nOut = sizes[l + 1]
            let input: UnsafePointer<Double> = l == 0 ? x : UnsafePointer(ws.a[l])
            let wOffset = weightOffset(l)
            let bOffset = biasOffset(l)
            // ∇W_l = a_lᵀ δ + penalty · W_l
            let gw = g + wOffset
            let w = p + wOffset
            for i in 0..<(nIn * nOut) { gw[i] = penalty * w[i] }
            if nIn > 0 {
                BLAS.gemm(
                    transposeA: true, transposeB: false, m: nIn, n: nOut, k: rows, alpha: 1, a: input, lda: nIn,
                    b: current, ldb: nOut, beta: 1, c: gw, ldc: nOut)
            }
            // ∇b_l = column sums of δ
            let gb = g + bOffset
            for j in 0..<nOut { gb[j] = 0 }
            for r in 0..<rows {
                let dr = current + r * nOut
                for j in 0..<nOut { gb[j] += dr[j] }
            }
            if l > 0 {
                // δ_l = (δ W_lᵀ) ⊙ 1[z_l > 0]
                BLAS.gemm(
                    transposeA: false, transposeB: true, m: rows, n: nIn, k: nOut, alpha: 1, a: current, lda: nOut,
                    b: w, ldb: nOut, beta: 0, c: previous, ldc: nIn)
                let zl = ws.z[l]
                for i in 0..<(rows * nIn) where zl[i] <= 0 { previous[i] = 0 }
                swap(&current, &previous)
            }
        }
        if penalty > 0 && computeLoss {
            var squares = 0.0
            for l in 0..<L {
                let w = p + weightOffset(l)
                for i in 0..<(sizes[l] * sizes[l + 1]) { squares += w[i] * w[i] }
            }
            loss += 0.5 * penalty * squares
        }
        return loss
    }

    /// Array form of `lossAndGradient` at this network's parameters (for tests and small problems):
    /// `penalty = l2 / totalRows`.
    func lossAndGradient(
        x: [Double], target: EncodedTarget, rowWeights: [Double]? = nil, l2: Double, totalRows: Int
    ) -> (loss: Double, gradient: [Double]) {
        let rows = target.count
        let ws = NetworkWorkspace(sizes: sizes, capacity: rows)
        var gradient = [Double](repeating: 0, count: parameters.count)
        let penalty = l2 / Double(max(totalRows, 1))
        var classes: [Int] = []
        var values: [Double] = []
        switch target {
        case .classes(let c): classes = c
        case .values(let v): values = v
        }
        let loss = parameters.withBaseAddress { p in
            x.withBaseAddress { xb in
                classes.withBaseAddress { cb in
                    values.withBaseAddress { vb in
                        gradient.withMutableBaseAddress { gb in
                            Self.withOptionalPointer(rowWeights) { wb in
                                lossAndGradient(
                                    parameters: p, x: xb, rows: rows, classes: classes.isEmpty ? nil : cb,
                                    values: values.isEmpty ? nil : vb, rowWeights: wb, penalty: penalty,
                                    gradient: gb, workspace: ws)
                            }
                        }
                    }
                }
            }
        }
        return (loss, gradient)
    }

    /// Calls `body` with a pointer to `values`' storage, or nil.
    static func withOptionalPointer<R>(_ values: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
        guard let values else { return body(nil) }
        return values.withBaseAddress { body($0) }
    }

    /// Outputs (`rows × outputs`: probabilities, or the standardised prediction) for a row-major input matrix,
    /// computed in chunks of 4,096 rows.
    func outputs(for x: [Double], rows: Int) -> [Double] {
        let k = outputs
        let chunk = 4096
        var result = [Double](repeating: 0, count: rows * k)
        guard rows > 0 else { return result }
        let ws = NetworkWorkspace(sizes: sizes, capacity: min(chunk, rows))
        let width = sizes[0]
        parameters.withBaseAddress { p in
            x.withBaseAddress { xb in
                result.withMutableBaseAddress { out in
                    var start = 0
                    while start < rows {
                        let count = min(chunk, rows - start)
                        forward(parameters: p, x: xb + start * width, rows: count, workspace: ws)
                        (out + start * k).update(from: ws.a[layerCount], count: count * k)
                        start += count
                    }
                }
            }
        }
        return result
    }
}
