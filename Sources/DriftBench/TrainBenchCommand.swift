import ArgumentParser
import DriftBatch
import DriftStats
import DriftStore
import DriftSystem
import DriftTrainer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch bench train`: times the built-in trainer's logistic regression (5 epochs of mini-batch Adam)
/// on seeded 1,000,000 × 20 Gaussian data with a noisy linear label, and scikit-learn's `SGDClassifier`
/// (5 epochs) and `LogisticRegression` (lbfgs) on the same arrays, and prints times, held-out accuracies and
/// the ratios.
struct TrainBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Benchmark the trainer's logistic regression against scikit-learn on 1M × 20 rows.",
        discussion: """
            Data: x ~ N(0, I₂₀) (SplitMix64, --seed), a unit weight vector w, label 1[w·x + σε > 0] with \
            ε ~ N(0, 1) and σ = 1/tan(π(0.8875 − 0.5)), so the Bayes accuracy is 0.8875. The first \
            (1 − --test-fraction) rows train, the rest are held out. See Benchmarks/train/README.md.
            """)

    @Option(help: "Rows in all (training + held out).")
    var rows = 1_000_000

    @Option(help: "Numeric features.")
    var features = 20

    @Option(help: "Seed of the data and of the trainer.")
    var seed: UInt64 = 20_261_123

    @Option(name: .customLong("test-fraction"), help: "Share of rows held out.")
    var testFraction = 0.2

    @Option(help: "Epochs of the trainer (and max_iter of SGDClassifier).")
    var epochs = 5

    @Option(name: .customLong("batch-size"), help: "The trainer's mini-batch size.")
    var batchSize = 256

    @Option(name: .customLong("learning-rate"), help: "The trainer's Adam learning rate.")
    var learningRate = 0.01

    @Option(help: "The trainer's OpenBLAS threads.")
    var threads = 1

    @OptionGroup var peerOptions: PeerOptions

    @Option(help: "The peers' script.")
    var script = "Benchmarks/train/peers.py"

    /// The label noise σ for a Bayes accuracy of 0.8875: accuracy = ½ + atan(1/σ)/π for w·x ~ N(0, 1).
    static let noise = 1 / tan(Double.pi * (0.8875 - 0.5))

    func validate() throws {
        if rows < 10 || features < 1 { throw ValidationError("--rows must be at least 10 and --features at least 1") }
        if !(testFraction > 0 && testFraction < 1) { throw ValidationError("--test-fraction must be in (0, 1)") }
        if epochs < 1 || batchSize < 1 || peerOptions.repeats < 1 {
            throw ValidationError("epochs, batch size and repeats ≥ 1")
        }
    }

    func run() throws {
        let trainCount = rows - Int((Double(rows) * testFraction).rounded())
        let data = try Self.generate(rows: rows, features: features, seed: seed)
        let all = Array(0..<rows)
        let train = data.set.rows(Array(all[..<trainCount]))
        let test = data.set.rows(Array(all[trainCount...]))

        let options = trainingOptions()
        var times = [Double]()
        var model: TrainedModel?
        for _ in 0..<peerOptions.repeats {
            let start = monotonicSeconds()
            model = try TrainerCLI.mapping(file: "bench") { try Trainer.train(train, options: options) }
            times.append(monotonicSeconds() - start)
        }
        guard let model else { return }
        let accuracy = try TrainerCLI.mapping(file: "bench") { try model.evaluate(test).accuracy } ?? .nan
        let seconds = median(times)

        var lines = [
            "driftwatch bench train: \(rows) rows × \(features) features (\(trainCount) train / \(rows - trainCount) "
                + "held out), Bayes accuracy 0.8875, \(ChunkInfo.cores) cores",
            Self.row(
                "driftwatch logistic regression (\(epochs) epochs, Adam, batch \(batchSize), \(threads) thread"
                    + "\(threads == 1 ? "" : "s"))", seconds: seconds, accuracy: accuracy),
        ]
        if peerOptions.noPeers {
            print(lines.joined(separator: "\n"))
            return
        }
        let peers = try runPeers(data: data, trainCount: trainCount)
        guard let peers else {
            lines.append("  peers skipped: install them with `\(peerOptions.python) -m pip install scikit-learn`")
            print(lines.joined(separator: "\n"))
            return
        }
        lines += peerLines(peers, seconds: seconds, accuracy: accuracy)
        print(lines.joined(separator: "\n"))
    }

    /// The trainer's options: logistic regression with the fixed settings of the command line, no validation.
    func trainingOptions() -> TrainingOptions {
        var options = TrainingOptions(task: .binary)
        options.kind = .logistic
        options.seed = seed
        options.validationFraction = 0
        options.threads = threads
        options.hyperparameters = Hyperparameters(
            learningRate: learningRate, l2: 1, epochs: epochs, batchSize: batchSize)
        return options
    }

    /// The peers' rows and the speed-ups against the trainer's median `seconds` and held-out `accuracy`.
    func peerLines(_ peers: PeerResults, seconds: Double, accuracy: Double) -> [String] {
        [
            Self.row(
                "scikit-learn SGDClassifier(log_loss, max_iter=\(epochs), tol=None)", seconds: peers.sgdSeconds,
                accuracy: peers.sgdAccuracy),
            Self.row(
                "scikit-learn LogisticRegression() (lbfgs)", seconds: peers.lbfgsSeconds, accuracy: peers.lbfgsAccuracy),
            String(
                format: "  speed-up vs SGDClassifier %6.1f×  (target ≥ 2×)   accuracy %+.4f  %@",
                peers.sgdSeconds / seconds, accuracy - peers.sgdAccuracy,
                peers.sgdSeconds / seconds >= 2 && accuracy >= peers.sgdAccuracy ? "met" : "NOT met"),
            String(
                format: "  speed-up vs LogisticRegression %6.1f×  (target > 1×)   accuracy %+.4f  %@",
                peers.lbfgsSeconds / seconds, accuracy - peers.lbfgsAccuracy,
                peers.lbfgsSeconds / seconds > 1 && accuracy >= peers.lbfgsAccuracy ? "met" : "NOT met"),
        ]
    }

    static func row(_ name: String, seconds: Double, accuracy: Double) -> String {
        String(format: "  %@ %8.3f s   held-out accuracy %.4f", name.paddedRight(to: 70), seconds, accuracy)
    }

    /// The generated data: the training set (columns) and the same values row-major for the peers.
    struct BenchData {
        let set: TrainingSet
        let matrix: [Double]
        let labels: [Double]
    }

    /// Seeded rows: x ~ N(0, I), y = 1[w·x + σε > 0] with ‖w‖ = 1.
    static func generate(rows: Int, features: Int, seed: UInt64) throws -> BenchData {
        var rng = SplitMix64(seed: seed)
        var w = (0..<features).map { _ in rng.nextGaussian() }
        let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        w = w.map { $0 / norm }
        var matrix = [Double](repeating: 0, count: rows * features)
        var labels = [Double](repeating: 0, count: rows)
        var columns = [[Double]](repeating: [Double](repeating: 0, count: rows), count: features)
        for r in 0..<rows {
            var s = 0.0
            for j in 0..<features {
                let v = rng.nextGaussian()
                matrix[r * features + j] = v
                columns[j][r] = v
                s += w[j] * v
            }
            labels[r] = s + noise * rng.nextGaussian() > 0 ? 1 : 0
        }
        let numeric = columns.enumerated().map { TrainingSet.NumericColumn(name: "x\($0.offset)", values: $0.element) }
        let set = try TrainerCLI.mapping(file: "bench") {
            try TrainingSet(numeric: numeric, categorical: [], target: .classes(labels.map { $0 == 1 ? "1" : "0" }))
        }
        return BenchData(set: set, matrix: matrix, labels: labels)
    }

    struct PeerResults {
        var sgdSeconds = Double.nan
        var sgdAccuracy = Double.nan
        var lbfgsSeconds = Double.nan
        var lbfgsAccuracy = Double.nan
    }

    /// Writes the arrays as .npy files in a temporary directory and runs the peers' script; nil when
    /// scikit-learn is not installed.
    func runPeers(data: BenchData, trainCount: Int) throws -> PeerResults? {
        var template = Array("/tmp/driftwatch-bench-train-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ValidationError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let dir = String(cString: made)
        defer { _ = try? ChildProcess.run(["rm", "-rf", dir]) }
        let d = features
        let testCount = rows - trainCount
        let files = [
            ("X_train.npy", Array(data.matrix[0..<(trainCount * d)]), [trainCount, d]),
            ("y_train.npy", Array(data.labels[0..<trainCount]), [trainCount]),
            ("X_test.npy", Array(data.matrix[(trainCount * d)...]), [testCount, d]),
            ("y_test.npy", Array(data.labels[trainCount...]), [testCount]),
        ]
        for (name, values, shape) in files { try NumpyFile.write(values, shape: shape, to: dir + "/" + name) }
        let outcome = try ChildProcess.run(
            [peerOptions.python, script] + files.map { dir + "/" + $0.0 } + [String(seed % 1_000_000)],
            captureOutput: true)
        guard outcome.status == 0 else { return nil }
        var results = PeerResults()
        for line in outcome.output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let v = Double(parts[1]) else { continue }
            switch parts[0] {
            case "sgd_seconds": results.sgdSeconds = v
            case "sgd_accuracy": results.sgdAccuracy = v
            case "lbfgs_seconds": results.lbfgsSeconds = v
            case "lbfgs_accuracy": results.lbfgsAccuracy = v
            default: break
            }
        }
        return results
    }
}

/// Writes NumPy's `.npy` format (version 1.0): the magic string, a little-endian header length, a Python
/// dict literal header padded to a multiple of 64 bytes, then little-endian float64 data in C order.
enum NumpyFile {
    static func write(_ values: [Double], shape: [Int], to path: String) throws {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        guard let file = fopen(path, "wb") else {
            throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        let headerWritten = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let dataWritten = values.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard headerWritten == bytes.count, dataWritten == values.count * 8 else {
            throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
