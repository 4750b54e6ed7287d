import DriftCore
import DriftStats
import Foundation

/// The settings a search tries, per model kind.
///
/// | kind | grid | random (per trial) |
/// |---|---|---|
/// | logistic, softmax | learning rate {0.01, 0.03} × l2 {0.1, 1, 10} | lr 10^U(−2.5, −1), l2 10^U(−2, 2), epochs U{⌈max/4⌉…max} |
/// | mlp | lr {0.001, 0.01} × l2 {0.1, 1} × hidden {[32], [64], [32, 16]} | as above, lr 10^U(−3.5, −1.5), hidden width ∈ {8, 16, 32, 64, 128}, 1 or 2 layers (the second half as wide) |
/// | ridge | l2 {0.01, 0.1, 1, 10, 100} | l2 10^U(−3, 3) |
///
/// Grid settings train for at most `maxEpochs` epochs (early stopping picks the count). `none` uses the
/// defaults: lr 0.01 (mlp 0.001), l2 1 (scikit-learn's C = 1), hidden [32], epochs `maxEpochs`. Batch size is
/// 32 rows for up to 10,000 training rows, else 256. Ridge ignores learning rate, epochs and batch size (0).
enum HyperparameterSpace {
    /// The default batch size for `rows` training rows.
    static func batchSize(rows: Int) -> Int { rows <= 10_000 ? 32 : 256 }

    /// The settings to try.
    static func candidates(
        kind: ModelKind, search: SearchStrategy, maxEpochs: Int, rows: Int, seed: UInt64
    )
        -> [Hyperparameters]
    {
        let batch = batchSize(rows: rows)
        switch kind {
        case .ridge: return ridgeCandidates(search: search, seed: seed)
        case .mlp: return mlpCandidates(search: search, maxEpochs: maxEpochs, batch: batch, seed: seed)
        case .logistic, .softmax:
            return linearCandidates(search: search, maxEpochs: maxEpochs, batch: batch, seed: seed)
        }
    }

    /// Ridge's settings: l2 only.
    static func ridgeCandidates(search: SearchStrategy, seed: UInt64) -> [Hyperparameters] {
        switch search {
        case .none:
            return [Hyperparameters(learningRate: 0, l2: 1, epochs: 0, batchSize: 0)]
        case .grid:
            return [0.01, 0.1, 1, 10, 100].map { Hyperparameters(learningRate: 0, l2: $0, epochs: 0, batchSize: 0) }
        case .random(let trials):
            var rng = SplitMix64(seed: seed ^ 0x5EA2C4)
            return (0..<trials).map { _ in
                Hyperparameters(learningRate: 0, l2: logUniform(-3, 3, &rng), epochs: 0, batchSize: 0)
            }
        }
    }

    /// The mlp's settings: learning rate, l2, hidden layers and (random search) epochs.
    static func mlpCandidates(search: SearchStrategy, maxEpochs: Int, batch: Int, seed: UInt64) -> [Hyperparameters] {
        switch search {
        case .none:
            return [
                Hyperparameters(learningRate: 0.001, l2: 1, hiddenLayers: [32], epochs: maxEpochs, batchSize: batch)
            ]
        case .grid:
            var result = [Hyperparameters]()
            for hidden in [[32], [64], [32, 16]] {
                for lr in [0.001, 0.01] {
                    for l2 in [0.1, 1.0] {
                        result.append(
                            Hyperparameters(
                                learningRate: lr, l2: l2, hiddenLayers: hidden, epochs: maxEpochs, batchSize: batch))
                    }
                }
            }
            return result
        case .random(let trials):
            var rng = SplitMix64(seed: seed ^ 0x5EA2C4)
            let widths = [8, 16, 32, 64, 128]
            return (0..<trials).map { _ in
                let lr = logUniform(-3.5, -1.5, &rng)
                let l2 = logUniform(-2, 2, &rng)
                let width = widths[Int(rng.next() % UInt64(widths.count))]
                let hidden = rng.next() % 2 == 0 ? [width] : [width, max(4, width / 2)]
                let epochs = uniformEpochs(maxEpochs, &rng)
                return Hyperparameters(learningRate: lr, l2: l2, hiddenLayers: hidden, epochs: epochs, batchSize: batch)
            }
        }
    }

    /// Logistic and softmax settings: learning rate, l2 and (random search) epochs.
    static func linearCandidates(
        search: SearchStrategy, maxEpochs: Int, batch: Int, seed: UInt64
    ) -> [Hyperparameters] {
        switch search {
        case .none:
            return [Hyperparameters(learningRate: 0.01, l2: 1, epochs: maxEpochs, batchSize: batch)]
        case .grid:
            var result = [Hyperparameters]()
            for lr in [0.01, 0.03] {
                for l2 in [0.1, 1.0, 10.0] {
                    result.append(Hyperparameters(learningRate: lr, l2: l2, epochs: maxEpochs, batchSize: batch))
                }
            }
            return result
        case .random(let trials):
            var rng = SplitMix64(seed: seed ^ 0x5EA2C4)
            return (0..<trials).map { _ in
                let lr = logUniform(-2.5, -1, &rng)
                let l2 = logUniform(-2, 2, &rng)
                return Hyperparameters(
                    learningRate: lr, l2: l2, epochs: uniformEpochs(maxEpochs, &rng), batchSize: batch)
            }
        }
    }

    /// `10^U(low, high)`.
    static func logUniform(_ low: Double, _ high: Double, _ rng: inout SplitMix64) -> Double {
        pow(10, low + (high - low) * rng.nextUniform())
    }

    /// Uniform on `⌈max/4⌉ … max`.
    static func uniformEpochs(_ maxEpochs: Int, _ rng: inout SplitMix64) -> Int {
        let low = max(1, (maxEpochs + 3) / 4)
        return low + Int(rng.next() % UInt64(max(1, maxEpochs - low + 1)))
    }
}
