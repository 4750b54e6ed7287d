import DriftStats

/// The output unit(s) of a network and the loss paired with them.
enum OutputActivation: String, Sendable, Codable, Equatable {
    /// One unit, `p = σ(z)`, loss `−[y log p + (1−y) log(1−p)] = softplus(z) − y z` (binary log-loss).
    case sigmoid
    /// k units, `p = softmax(z)`, loss `logΣexp(z) − z_y` (cross-entropy).
    case softmax
    /// One unit, `ŷ = z`, loss `½ (z − y)²` (y standardised).
    case identity
}

/// A fully connected network: `sizes = [inputs, hidden…, outputs]`, ReLU on hidden layers, `output` on the
/// last. With no hidden layer it is a linear model: logistic (sigmoid), softmax or linear/ridge (identity)
/// regression. Parameters are stored flat, layer by layer: the weights `W_l` (row-major, `sizes[l] ×
/// sizes[l+1]`) then the biases `b_l` (`sizes[l+1]`).
///
/// In the artifact (`network`) it is `{"output": …, "layers": [{"inputs", "outputs", "weights", "biases"}]}`
/// with `weights` row-major (`inputs × outputs`): a row's pre-activations are `z = a · W + b`.
struct Network: Sendable, Equatable {
    var sizes: [Int]
    var output: OutputActivation
    var parameters: [Double]

    /// Number of weight layers.
    var layerCount: Int { sizes.count - 1 }
    /// Output units.
    var outputs: Int { sizes[sizes.count - 1] }

    /// Number of parameters of a network with these sizes.
    static func parameterCount(_ sizes: [Int]) -> Int {
        (0..<(sizes.count - 1)).reduce(0) { $0 + sizes[$1] * sizes[$1 + 1] + sizes[$1 + 1] }
    }

    /// Offset of `W_l` in `parameters`.
    func weightOffset(_ l: Int) -> Int {
        (0..<l).reduce(0) { $0 + sizes[$1] * sizes[$1 + 1] + sizes[$1 + 1] }
    }

    /// Offset of `b_l` in `parameters`.
    func biasOffset(_ l: Int) -> Int { weightOffset(l) + sizes[l] * sizes[l + 1] }

    /// A network with seeded initial weights: zeros for a linear model (its loss is convex), otherwise He
    /// initialisation (`W ~ N(0, 2/fan_in)`, He et al. 2015) for hidden layers and `N(0, 1/fan_in)` for the
    /// output layer; biases 0.
    init(sizes: [Int], output: OutputActivation, seed: UInt64) {
        self.sizes = sizes
        self.output = output
        parameters = [Double](repeating: 0, count: Self.parameterCount(sizes))
        guard sizes.count > 2 else { return }
        var rng = SplitMix64(seed: seed ^ 0x1_417_5EED)
        for l in 0..<(sizes.count - 1) {
            let fanIn = Double(max(1, sizes[l]))
            let std = ((l == sizes.count - 2 ? 1.0 : 2.0) / fanIn).squareRoot()
            let offset = weightOffset(l)
            for i in 0..<(sizes[l] * sizes[l + 1]) { parameters[offset + i] = std * rng.nextGaussian() }
        }
    }

    /// A network from parts (used when decoding).
    init(sizes: [Int], output: OutputActivation, parameters: [Double]) {
        self.sizes = sizes
        self.output = output
        self.parameters = parameters
    }

    /// `Σ_l ‖W_l‖²_F` (biases excluded).
    func weightSquares() -> Double {
        var sum = 0.0
        for l in 0..<layerCount {
            let offset = weightOffset(l)
            for i in 0..<(sizes[l] * sizes[l + 1]) { sum += parameters[offset + i] * parameters[offset + i] }
        }
        return sum
    }
}

extension Network: Codable {
    private enum CodingKeys: String, CodingKey {
        case output, layers
    }

    private struct Layer: Codable {
        var inputs: Int
        var outputs: Int
        var weights: [Double]
        var biases: [Double]
    }

    /// Decodes and checks shapes: consecutive layers chain, each holds `inputs × outputs` weights and `outputs`
    /// biases, all finite.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let output = try container.decode(OutputActivation.self, forKey: .output)
        let layers = try container.decode([Layer].self, forKey: .layers)
        func corrupt(_ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .layers, in: container, debugDescription: message)
        }
        guard let first = layers.first else { throw corrupt("a network needs at least one layer") }
        guard layers.count <= 3 else { throw corrupt("at most 2 hidden layers are supported") }
        var sizes = [first.inputs]
        var parameters = [Double]()
        for (l, layer) in layers.enumerated() {
            guard layer.inputs == sizes[sizes.count - 1], layer.inputs >= 0, layer.outputs >= 1,
                layer.inputs <= 1 << 20, layer.outputs <= 1 << 16
            else { throw corrupt("layer \(l) does not chain with the previous one (or has no outputs)") }
            guard layer.weights.count == layer.inputs * layer.outputs, layer.biases.count == layer.outputs else {
                throw corrupt("layer \(l) needs \(layer.inputs)×\(layer.outputs) weights and \(layer.outputs) biases")
            }
            guard layer.weights.allSatisfy(\.isFinite), layer.biases.allSatisfy(\.isFinite) else {
                throw corrupt("layer \(l) holds a non-finite number")
            }
            sizes.append(layer.outputs)
            parameters += layer.weights
            parameters += layer.biases
        }
        self.init(sizes: sizes, output: output, parameters: parameters)
    }

    /// Encodes the layered form described on the type.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(output, forKey: .output)
        let layers = (0..<layerCount).map { l in
            Layer(
                inputs: sizes[l], outputs: sizes[l + 1],
                weights: Array(parameters[weightOffset(l)..<biasOffset(l)]),
                biases: Array(parameters[biasOffset(l)..<(biasOffset(l) + sizes[l + 1])]))
        }
        try container.encode(layers, forKey: .layers)
    }
}
