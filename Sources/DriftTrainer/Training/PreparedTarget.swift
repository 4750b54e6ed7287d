import DriftCore
import DriftStats
import DriftTables

/// The target made ready for training: classes and class indices (with class weights), or standardised values.
struct PreparedTarget {
    /// Class labels in `LabelOrder` (empty for regression).
    var classes: [String]
    /// Class indices or standardised values.
    var encoded: EncodedTarget
    /// Regression: the standardisation.
    var scaling: TargetScaling?
    /// Per-class weights (`classes` order) when weighting is on.
    var classWeights: [Double]?
    /// Per-row weights when weighting is on.
    var rowWeights: [Double]?

    /// Class indices of the rows, or nil for regression.
    var classIndex: [Int]? {
        if case .classes(let c) = encoded { return c }
        return nil
    }

    init(_ target: TrainingSet.Target, task: ModelTask, weighting: ClassWeighting) throws(TrainerError) {
        switch task {
        case .regression:
            let values = try Self.regressionValues(target)
            var sum = CompensatedSum()
            for v in values { sum.add(v) }
            let mean = sum.value / Double(max(1, values.count))
            var squares = CompensatedSum()
            for v in values { squares.add((v - mean) * (v - mean)) }
            let std = (squares.value / Double(max(1, values.count))).squareRoot()
            let scale = std > 0 && std.isFinite ? std : 1
            classes = []
            encoded = .values(values.map { ($0 - mean) / scale })
            scaling = TargetScaling(mean: mean, scale: scale)
            classWeights = nil
            rowWeights = nil
        case .binary, .multiclass:
            let labels = try Self.classLabels(target)
            let classes = LabelOrder.sorted(labels)
            guard classes.count >= 2 else {
                throw .invalidData("classification needs at least 2 classes; the target has \(classes.count)")
            }
            if task == .binary && classes.count != 2 {
                throw .invalidData(
                    "a binary task needs exactly 2 classes; the target has \(classes.count) (use the multiclass task)")
            }
            var position = [ExactString: Int]()
            for (k, label) in classes.enumerated() { position[ExactString(label)] = k }
            let index = labels.map { position[ExactString($0)] ?? 0 }
            self.classes = classes
            encoded = .classes(index)
            scaling = nil
            switch weighting {
            case .none:
                classWeights = nil
                rowWeights = nil
            case .balanced:
                var counts = [Int](repeating: 0, count: classes.count)
                for k in index { counts[k] += 1 }
                let n = Double(labels.count)
                let k = Double(classes.count)
                let weights = counts.map { n / (k * Double(max($0, 1))) }
                classWeights = weights
                rowWeights = index.map { weights[$0] }
            }
        }
    }

    /// A regression target's values: numbers, or text that parses as numbers; every one finite.
    static func regressionValues(_ target: TrainingSet.Target) throws(TrainerError) -> [Double] {
        var values: [Double]
        switch target {
        case .values(let v):
            values = v
        case .classes(let labels):
            values = []
            values.reserveCapacity(labels.count)
            for (row, label) in labels.enumerated() {
                guard let v = Double(label) else {
                    throw .invalidData("a regression target must be numeric, but row \(row) holds text")
                }
                values.append(v)
            }
        }
        let bad = values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        guard bad == 0 else {
            throw TrainerError(
                code: .missingLabel,
                message: "\(bad) target value\(bad == 1 ? " is" : "s are") missing or not finite")
        }
        return values
    }

    /// A classification target's labels: text, or numbers written as labels; none missing.
    static func classLabels(_ target: TrainingSet.Target) throws(TrainerError) -> [String] {
        let labels: [String]
        switch target {
        case .classes(let l):
            labels = l
        case .values(let v):
            guard v.allSatisfy({ !$0.isNaN }) else {
                throw TrainerError(code: .missingLabel, message: "the target has missing values")
            }
            labels = v.map(NumberFormatting.label)
        }
        return labels
    }
}
