import DriftStats
import Foundation

/// What one fit produced.
struct FitOutcome: Sendable {
    /// The parameters kept: the best on the validation rows when there are some, else the last.
    var parameters: [Double]
    /// Epochs up to the kept parameters (the best epoch with early stopping, else every epoch run).
    var epochs: Int
    /// Weighted mean loss on the validation rows at the kept parameters (nil without validation rows or when
    /// it is not finite).
    var validationLoss: Double?
    /// `true` when the loss or the parameters stopped being finite.
    var diverged: Bool
}

/// Mini-batch Adam with early stopping.
///
/// Adam (Kingma & Ba 2015, Algorithm 1) with β₁ = 0.9, β₂ = 0.999, ε = 1e-8:
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `θ ← θ − α · m̂ / (√v̂ + ε)` with `m̂ = m/(1−β₁ᵗ)`,
/// `v̂ = v/(1−β₂ᵗ)`, and a step size decaying as `α_e = α / √e` in epoch e. Each epoch visits the training rows
/// in batches of `batchSize` rows (the last may be smaller): for up to 2²² matrix cells the rows are put in a
/// fresh SplitMix64 Fisher–Yates order every epoch and gathered batch by batch; for larger sets they are shuffled
/// once into a contiguous copy and every epoch visits its batches in a fresh order (streaming memory instead of
/// random row reads). The gradient comes from `Network.lossAndGradient` (BLAS level 3); a non-finite gradient
/// stops the fit as diverged. Without validation rows (a final fit), the last epoch's iterates are averaged
/// (tail averaging, Polyak & Juditsky 1992; scikit-learn's `SGDClassifier(average=…)` does likewise), which
/// removes most of the mini-batch noise from the returned parameters. With validation rows, after each epoch the weighted mean loss
/// `Σ cᵢ lossᵢ / Σ cᵢ` on them is computed; training stops once it has not improved (by a relative 1e-7) for
/// `patience` epochs, and the best parameters are kept.
enum AdamFitter {
    static let beta1 = 0.9
    static let beta2 = 0.999
    static let epsilon = 1e-8
    /// Above this many training-matrix cells, rows are shuffled once and batches reordered per epoch.
    static let blockModeCells = 1 << 22

    /// Fits `network` to the rows `train` of the row-major matrix `x` (`x.count / network.sizes[0]` rows).
    static func fit(
        network: Network, x: [Double], target: EncodedTarget, rowWeights: [Double]?, train: [Int],
        validation: [Int], hyperparameters hp: Hyperparameters, patience: Int, seed: UInt64,
        blockModeCells: Int = blockModeCells
    ) -> FitOutcome {
        let d = network.sizes[0]
        let parameterCount = network.parameters.count
        let batch = max(1, min(hp.batchSize, train.count))
        let penalty = hp.l2 / Double(max(1, train.count))
        let workspace = NetworkWorkspace(sizes: network.sizes, capacity: batch)

        let params = UnsafeMutablePointer<Double>.allocate(capacity: parameterCount)
        let gradient = UnsafeMutablePointer<Double>.allocate(capacity: parameterCount)
        let m = UnsafeMutablePointer<Double>.allocate(capacity: parameterCount)
        let v = UnsafeMutablePointer<Double>.allocate(capacity: parameterCount)
        let average = UnsafeMutablePointer<Double>.allocate(capacity: parameterCount)
        let xBatch = UnsafeMutablePointer<Double>.allocate(capacity: batch * max(d, 1))
        let classBatch = UnsafeMutablePointer<Int>.allocate(capacity: batch)
        let valueBatch = UnsafeMutablePointer<Double>.allocate(capacity: batch)
        let weightBatch = UnsafeMutablePointer<Double>.allocate(capacity: batch)
        defer {
            for p in [params, gradient, m, v, average, xBatch, valueBatch, weightBatch] { p.deallocate() }
            classBatch.deallocate()
        }
        network.parameters.withBaseAddress { params.initialize(from: $0, count: parameterCount) }
        m.initialize(repeating: 0, count: parameterCount)
        v.initialize(repeating: 0, count: parameterCount)
        gradient.initialize(repeating: 0, count: parameterCount)

        var classes: [Int] = []
        var values: [Double] = []
        switch target {
        case .classes(let c): classes = c
        case .values(let y): values = y
        }
        let isClassification = !classes.isEmpty || values.isEmpty

        let validator =
            validation.isEmpty
            ? nil
            : ValidationLoss(
                network: network, x: x, target: target, rowWeights: rowWeights, rows: validation)
        var rng = SplitMix64(seed: seed ^ 0xADA0_5EED)
        var order = train
        var step = 0.0
        var best = Double.infinity
        var bestParameters = network.parameters
        var bestEpoch = 0
        var epochsRun = 0
        var diverged = false

        // Large sets: rows are shuffled once into a contiguous copy and each epoch visits its batches in a
        // fresh order (sequential memory traffic); small sets are reshuffled row by row every epoch.
        let blockMode = train.count * d > blockModeCells
        let blockRows = blockMode ? train.count : 0
        let blockX = UnsafeMutablePointer<Double>.allocate(capacity: max(1, blockRows * d))
        let blockClasses = UnsafeMutablePointer<Int>.allocate(capacity: max(1, blockRows))
        let blockValues = UnsafeMutablePointer<Double>.allocate(capacity: max(1, blockRows))
        let blockWeights = UnsafeMutablePointer<Double>.allocate(capacity: max(1, blockRows))
        defer {
            blockX.deallocate()
            blockClasses.deallocate()
            blockValues.deallocate()
            blockWeights.deallocate()
        }
        var batchStarts = Array(stride(from: 0, to: train.count, by: batch))

        x.withBaseAddress { xs in
            classes.withBaseAddress { cs in
                values.withBaseAddress { ys in
                    Network.withOptionalPointer(rowWeights) { ws in
                        /// Copies `count` rows (indices `rows[from…]`) into the buffers at `x`, `c`, `y`, `w`.
                        func gather(
                            _ rows: [Int], from: Int, count: Int, x: UnsafeMutablePointer<Double>,
                            c: UnsafeMutablePointer<Int>, y: UnsafeMutablePointer<Double>,
                            w: UnsafeMutablePointer<Double>
                        ) {
                            for i in 0..<count {
                                let row = rows[from + i]
                                (x + i * d).update(from: xs + row * d, count: d)
                                if isClassification { c[i] = cs[row] } else { y[i] = ys[row] }
                                if let ws { w[i] = ws[row] }
                            }
                        }
                        if blockMode {
                            Splitter.shuffle(&order, &rng)
                            gather(
                                order, from: 0, count: order.count, x: blockX, c: blockClasses, y: blockValues,
                                w: blockWeights)
                        }
                        epochs: for epoch in 1...max(1, hp.epochs) {
                            if blockMode {
                                Splitter.shuffle(&batchStarts, &rng)
                            } else {
                                Splitter.shuffle(&order, &rng)
                            }
                            let lr = hp.learningRate / Double(epoch).squareRoot()
                            let averaging = validator == nil && epoch == hp.epochs && batchStarts.count > 1
                            if averaging { average.initialize(repeating: 0, count: parameterCount) }
                            for start in batchStarts {
                                let count = min(batch, order.count - start)
                                let bx: UnsafeMutablePointer<Double>
                                let bc: UnsafeMutablePointer<Int>
                                let by: UnsafeMutablePointer<Double>
                                let bw: UnsafeMutablePointer<Double>
                                if blockMode {
                                    (bx, bc, by, bw) = (
                                        blockX + start * d, blockClasses + start, blockValues + start,
                                        blockWeights + start
                                    )
                                } else {
                                    (bx, bc, by, bw) = (xBatch, classBatch, valueBatch, weightBatch)
                                    gather(order, from: start, count: count, x: bx, c: bc, y: by, w: bw)
                                }
                                _ = network.lossAndGradient(
                                    parameters: params, x: bx, rows: count, classes: isClassification ? bc : nil,
                                    values: isClassification ? nil : by, rowWeights: ws == nil ? nil : bw,
                                    penalty: penalty, gradient: gradient, workspace: workspace, computeLoss: false)
                                step += 1
                                let c1 = 1 / (1 - pow(beta1, step))
                                let c2 = 1 / (1 - pow(beta2, step))
                                var finite = true
                                for i in 0..<parameterCount {
                                    let g = gradient[i]
                                    finite = finite && g.isFinite
                                    m[i] = beta1 * m[i] + (1 - beta1) * g
                                    v[i] = beta2 * v[i] + (1 - beta2) * g * g
                                    params[i] -= lr * (m[i] * c1) / ((v[i] * c2).squareRoot() + epsilon)
                                }
                                guard finite else {
                                    diverged = true
                                    break epochs
                                }
                                if averaging {
                                    for i in 0..<parameterCount { average[i] += params[i] }
                                }
                            }
                            if averaging {
                                let inverse = 1 / Double(batchStarts.count)
                                for i in 0..<parameterCount { params[i] = average[i] * inverse }
                            }
                            epochsRun = epoch
                            guard let validator else { continue }
                            let loss = validator.loss(parameters: params)
                            if loss.isFinite && loss < best - 1e-7 * abs(best) || (best.isInfinite && loss.isFinite) {
                                best = loss
                                bestEpoch = epoch
                                bestParameters.withMutableBaseAddress { $0.update(from: params, count: parameterCount) }
                            } else if !loss.isFinite {
                                diverged = true
                                break epochs
                            } else if epoch - bestEpoch >= patience {
                                break epochs
                            }
                        }
                    }
                }
            }
        }
        if validator != nil {
            return FitOutcome(
                parameters: bestParameters, epochs: max(1, bestEpoch), validationLoss: best.isFinite ? best : nil,
                diverged: bestEpoch == 0)
        }
        let final = Array(UnsafeBufferPointer(start: params, count: parameterCount))
        return FitOutcome(
            parameters: final, epochs: epochsRun, validationLoss: nil,
            diverged: diverged || !final.allSatisfy(\.isFinite))
    }
}

/// The weighted mean loss `Σ cᵢ lossᵢ / Σ cᵢ` of a network's parameters on fixed rows (gathered once).
struct ValidationLoss {
    let network: Network
    let x: [Double]
    let classes: [Int]
    let values: [Double]
    let weights: [Double]?
    let rows: Int

    init(network: Network, x full: [Double], target: EncodedTarget, rowWeights: [Double]?, rows indices: [Int]) {
        self.network = network
        let d = network.sizes[0]
        var x = [Double](repeating: 0, count: indices.count * d)
        for (i, row) in indices.enumerated() {
            for j in 0..<d { x[i * d + j] = full[row * d + j] }
        }
        self.x = x
        switch target.rows(indices) {
        case .classes(let c):
            classes = c
            values = []
        case .values(let v):
            classes = []
            values = v
        }
        weights = rowWeights.map { w in indices.map { w[$0] } }
        rows = indices.count
    }

    /// The loss at `parameters` (O(rows × network size), in chunks of 4,096 rows).
    func loss(parameters: UnsafePointer<Double>) -> Double {
        let chunk = 4096
        let ws = NetworkWorkspace(sizes: network.sizes, capacity: min(chunk, rows))
        let d = network.sizes[0]
        var total = CompensatedSum()
        var weightTotal = 0.0
        x.withBaseAddress { xs in
            classes.withBaseAddress { cs in
                values.withBaseAddress { ys in
                    var start = 0
                    while start < rows {
                        let count = min(chunk, rows - start)
                        network.forward(parameters: parameters, x: xs + start * d, rows: count, workspace: ws)
                        for r in 0..<count {
                            let w = weights?[start + r] ?? 1
                            let loss = network.rowLoss(
                                r, classes: classes.isEmpty ? nil : cs + start,
                                values: values.isEmpty ? nil : ys + start,
                                workspace: ws)
                            total.add(w * loss)
                            weightTotal += w
                        }
                        start += count
                    }
                }
            }
        }
        return weightTotal > 0 ? total.value / weightTotal : .nan
    }
}
