import DriftCore
import DriftStats
import DriftTables
import Foundation

@testable import DriftTrainer

/// Test helpers: fixtures, seeded data sets and splits.
enum Support {
    /// A fixture table read with the project's CSV reader.
    static func table(_ name: String) throws -> Table {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            throw TrainerError(code: .invalidData, message: "missing fixture \(name)")
        }
        let bytes = try [UInt8](Data(contentsOf: url))
        return try CSVReader.read(bytes: bytes, source: name)
    }

    /// The UCI split: 0-based row r goes to training when `r % 10 < 7`, else to the test part.
    static func uciSplit(_ data: TrainingSet) -> (train: TrainingSet, test: TrainingSet) {
        let rows = Array(0..<data.rowCount)
        return (data.rows(rows.filter { $0 % 10 < 7 }), data.rows(rows.filter { $0 % 10 >= 7 }))
    }

    /// `n × d` standard normal features named x0…x(d−1).
    static func gaussianColumns(rows n: Int, features d: Int, rng: inout SplitMix64) -> [TrainingSet.NumericColumn] {
        var columns = (0..<d).map { TrainingSet.NumericColumn(name: "x\($0)", values: []) }
        for _ in 0..<n {
            for j in 0..<d { columns[j].values.append(rng.nextGaussian()) }
        }
        return columns
    }
}

extension Support {
    /// The `TrainerError` `body` throws (nil when it throws nothing or something else).
    static func trainerError(_ body: () throws -> Void) -> TrainerError? {
        do {
            try body()
            return nil
        } catch let error as TrainerError {
            return error
        } catch {
            return nil
        }
    }
}

extension TrainingSet.Target {
    /// The class labels of a classification target (nil for a regression target).
    var classLabels: [String]? {
        if case .classes(let labels) = self { return labels }
        return nil
    }

    /// The values of a regression target (nil for a classification target).
    var regressionValues: [Double]? {
        if case .values(let values) = self { return values }
        return nil
    }
}
