import DriftStats
import Foundation
import Testing

@testable import DriftTrainer

/// Every model's analytic gradient (`Network.lossAndGradient`) against central finite differences
/// `(J(θ + h eᵢ) − J(θ − h eᵢ)) / 2h` with h = 1e-6, on seeded data with row weights and an L2 penalty.
/// Tolerance: |analytic − numeric| ≤ 1e-6 · max(1, |numeric|) for every parameter.
@Suite struct GradientCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let sizes: [Int]
        let output: OutputActivation
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "logistic", sizes: [5, 1], output: .sigmoid),
        Case(name: "softmax", sizes: [5, 4], output: .softmax),
        Case(name: "ridge (linear)", sizes: [5, 1], output: .identity),
        Case(name: "mlp binary, 1 hidden layer", sizes: [5, 7, 1], output: .sigmoid),
        Case(name: "mlp multiclass, 2 hidden layers", sizes: [5, 6, 4, 3], output: .softmax),
        Case(name: "mlp regression, 2 hidden layers", sizes: [5, 6, 4, 1], output: .identity),
    ]

    @Test(arguments: cases) func gradientMatchesFiniteDifferences(_ testCase: Case) {
        var rng = SplitMix64(seed: 42)
        let rows = 23
        let d = testCase.sizes[0]
        let x = (0..<(rows * d)).map { _ in rng.nextGaussian() }
        let k = testCase.sizes[testCase.sizes.count - 1]
        let target: EncodedTarget =
            testCase.output == .identity
            ? .values((0..<rows).map { _ in rng.nextGaussian() })
            : .classes((0..<rows).map { _ in Int(rng.next() % UInt64(max(k, 2))) })
        let weights = (0..<rows).map { _ in 0.5 + rng.nextUniform() }
        var network = Network(sizes: testCase.sizes, output: testCase.output, seed: 7)
        // Linear models start at zero; move them off it so every term of the gradient is exercised.
        for i in network.parameters.indices { network.parameters[i] += 0.3 * rng.nextGaussian() }
        let l2 = 0.7
        let (_, analytic) = network.lossAndGradient(
            x: x, target: target, rowWeights: weights, l2: l2, totalRows: rows)
        let h = 1e-6
        var worst = 0.0
        for i in network.parameters.indices {
            var plus = network
            plus.parameters[i] += h
            var minus = network
            minus.parameters[i] -= h
            let numeric =
                (plus.lossAndGradient(x: x, target: target, rowWeights: weights, l2: l2, totalRows: rows).loss
                    - minus.lossAndGradient(x: x, target: target, rowWeights: weights, l2: l2, totalRows: rows).loss)
                / (2 * h)
            worst = max(worst, abs(analytic[i] - numeric) / max(1, abs(numeric)))
        }
        #expect(worst <= 1e-6, "worst relative gradient error \(worst)")
    }

    /// The objective itself: `(1/B) Σ cᵢ lossᵢ + (l2 / 2N) ‖W‖²` computed independently for a logistic model.
    @Test func logisticObjectiveMatchesItsFormula() {
        var rng = SplitMix64(seed: 3)
        let rows = 11
        let x = (0..<(rows * 2)).map { _ in rng.nextGaussian() }
        let y = (0..<rows).map { _ in Int(rng.next() % 2) }
        let network = Network(sizes: [2, 1], output: .sigmoid, parameters: [0.4, -1.3, 0.2])
        let (loss, _) = network.lossAndGradient(x: x, target: .classes(y), l2: 2, totalRows: rows)
        var expected = 0.0
        for r in 0..<rows {
            let z = 0.4 * x[r * 2] - 1.3 * x[r * 2 + 1] + 0.2
            let p = 1 / (1 + (-z).exp)
            expected -= (y[r] == 1 ? p.log : (1 - p).log) / Double(rows)
        }
        expected += 2 / (2 * Double(rows)) * (0.4 * 0.4 + 1.3 * 1.3)
        #expect(abs(loss - expected) <= 1e-12)
    }

    /// The ridge solver lands where the ridge objective's gradient vanishes.
    @Test func ridgeSolutionIsAStationaryPoint() throws {
        var rng = SplitMix64(seed: 9)
        let rows = 50
        let d = 4
        let x = (0..<(rows * d)).map { _ in rng.nextGaussian() }
        let y = (0..<rows).map { _ in rng.nextGaussian() }
        let solution = try RidgeSolver.solve(x: x, width: d, y: y, rows: Array(0..<rows), l2: 3)
        let network = Network(sizes: [d, 1], output: .identity, parameters: solution)
        let (_, gradient) = network.lossAndGradient(x: x, target: .values(y), l2: 3, totalRows: rows)
        #expect(gradient.allSatisfy { abs($0) < 1e-12 }, "\(gradient)")
    }
}

extension Double {
    fileprivate var exp: Double { Foundation.exp(self) }
    fileprivate var log: Double { Foundation.log(self) }
}
