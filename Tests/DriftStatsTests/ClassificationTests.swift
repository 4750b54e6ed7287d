import Foundation
import Testing

@testable import DriftStats

@Suite struct ClassificationGoldenTests {
    @Test func corpusIsLoaded() {
        #expect(GoldenCase.classification.count >= 2)
    }

    /// A JSON label (int or string) as the string the CSV holds.
    private func labelString(_ value: Any) -> String {
        if let s = value as? String { return s }
        if let n = value as? NSNumber { return String(n.intValue) }
        return "\(value)"
    }

    @Test(arguments: GoldenCase.classification)
    func metricsMatchGolden(_ testCase: GoldenCase) throws {
        let metrics = try #require(testCase.expected["metrics"] as? [String: Any])
        let rows = testCase.csv("predictions.csv")
        let truth = try #require(rows["y_true"])
        let predicted = try #require(rows["y_pred"])
        let id = testCase.id
        let report = try ClassificationReport(truth: truth, predicted: predicted)

        let labels = try #require(metrics["labels_sorted"] as? [Any]).map(labelString)
        #expect(report.labels == labels, "\(id): labels")
        #expect(LabelOrder.sorted(truth + predicted) == labels, "\(id): LabelOrder")

        let perClass = try #require(metrics["per_class"] as? [String: Any])
        for label in labels {
            let expected = try #require(perClass[label] as? [String: Any], "\(id): per_class \(label)")
            let actual = try #require(report.metrics(for: label))
            for (name, value) in [("precision", actual.precision), ("recall", actual.recall), ("f1", actual.f1)] {
                expectClose(value, goldenDouble(expected[name]), relative: 1e-12, "\(id) \(label) \(name)")
            }
            #expect(actual.support == expected["support"] as? Int, "\(id) \(label) support")
        }
        for (key, average) in [
            ("macro", report.macroAverage), ("micro", report.microAverage), ("weighted", report.weightedAverage),
        ] {
            let expected = try #require(metrics[key] as? [String: Any], "\(id): \(key)")
            expectClose(average.precision, goldenDouble(expected["precision"]), relative: 1e-12, "\(id) \(key) P")
            expectClose(average.recall, goldenDouble(expected["recall"]), relative: 1e-12, "\(id) \(key) R")
            expectClose(average.f1, goldenDouble(expected["f1"]), relative: 1e-12, "\(id) \(key) F1")
        }
        expectClose(report.accuracy, goldenDouble(metrics["accuracy"]), relative: 1e-12, "\(id) accuracy")

        let matrix = try #require(golden(metrics, "confusion_matrix", "matrix") as? [[Int]])
        let matrixLabels = try #require(golden(metrics, "confusion_matrix", "labels") as? [Any]).map(labelString)
        #expect(report.confusionMatrix.labels == matrixLabels, "\(id): confusion labels")
        #expect(report.confusionMatrix.matrix == matrix, "\(id): confusion matrix")

        if let binary = metrics["binary_pos_label"] as? [String: Any] {
            let positive = labelString(binary["pos_label"] ?? 1)
            let actual = try #require(report.metrics(for: positive))
            expectClose(actual.precision, goldenDouble(binary["precision"]), relative: 1e-12, "\(id) binary P")
            expectClose(actual.recall, goldenDouble(binary["recall"]), relative: 1e-12, "\(id) binary R")
            expectClose(actual.f1, goldenDouble(binary["f1"]), relative: 1e-12, "\(id) binary F1")
        }
        if let scoreStrings = rows["y_score"] {
            let scores = scoreStrings.map { Double($0) ?? .nan }
            let positive = labels.last ?? "1"
            let auc = try #require(try ROCAUC.binary(truth: truth, scores: scores, positiveLabel: positive))
            expectClose(auc, goldenDouble(metrics["roc_auc"]), relative: 1e-12, "\(id) roc_auc")
            let loss = try #require(try LogLoss.binary(truth: truth, positiveScores: scores, positiveLabel: positive))
            expectClose(loss, goldenDouble(metrics["log_loss"]), relative: 1e-12, "\(id) log_loss")
        } else {
            var columns = [String: [Double]]()
            for label in labels {
                let column = try #require(rows["score_\(label)"], "\(id): score_\(label)")
                columns[label] = column.map { Double($0) ?? .nan }
            }
            let loss = try #require(try LogLoss.multiclass(truth: truth, scoreColumns: columns))
            expectClose(loss, goldenDouble(metrics["log_loss"]), relative: 1e-12, "\(id) log_loss")
            let ovr = try #require(try ROCAUC.oneVsRest(truth: truth, scoreColumns: columns))
            expectClose(ovr.macro, goldenDouble(metrics["roc_auc_ovr_macro"]), relative: 1e-12, "\(id) ovr macro")
            expectClose(
                ovr.weighted, goldenDouble(metrics["roc_auc_ovr_weighted"]), relative: 1e-12, "\(id) ovr weighted")
        }
        if let eps = goldenDouble(metrics["log_loss_clip_eps"]) {
            #expect(LogLoss.clippingEpsilon == eps)
        }
    }
}

/// Expected values from scikit-learn 1.9.1 (`precision_recall_fscore_support(zero_division=0)`,
/// `confusion_matrix`, `roc_auc_score`, `log_loss`) unless computed by hand in a comment.
@Suite struct ClassificationTests {
    @Test func labelOrderNumericWhenEveryLabelIsANumber() {
        #expect(LabelOrder.sorted(["10", "9", "-1", "2.5", "9"]) == ["-1", "2.5", "9", "10"])
        #expect(LabelOrder.sorted(["1.0", "1", "0"]) == ["0", "1", "1.0"])  // equal numbers: code point
        // One non-number switches everything to code-point order.
        #expect(LabelOrder.sorted(["b", "10", "B", "a", "9"]) == ["10", "9", "B", "a", "b"])
        #expect(LabelOrder.sorted(["nan", "1"]) == ["1", "nan"])
        #expect(LabelOrder.sorted(["0x10", "9"]) == ["0x10", "9"])  // hexadecimal is not a number here
        #expect(LabelOrder.sorted([]) == [])
    }

    @Test func labelOrderIsCodePointOrderNotSwiftStringOrder() {
        // U+212B ANGSTROM SIGN normalises to U+00C5, which Swift's `<` compares before U+00C6;
        // by code point (Python's str order) U+00C6 comes first.
        let angstrom = "\u{212B}"
        let ae = "\u{00C6}"
        #expect(angstrom < ae)  // Swift's order — what LabelOrder must not use
        #expect(LabelOrder.sorted([angstrom, ae]) == [ae, angstrom])
        // Canonically equivalent but different scalars are different labels (as in Python).
        let composed = "\u{00E9}"
        let decomposed = "e\u{0301}"
        #expect(composed == decomposed)  // Swift equality
        let sorted = LabelOrder.sorted([composed, decomposed, composed])
        #expect(sorted.count == 2)
        #expect(
            sorted.map { Array($0.unicodeScalars) } == [
                Array(decomposed.unicodeScalars), Array(composed.unicodeScalars),
            ])
        #expect(LabelOrder.sorted(["b", "a", "€", "Z", "é"]) == ["Z", "a", "b", "é", "€"])
    }

    @Test func reportWithZeroDivision() throws {
        let truth = ["a", "b", "c", "a", "b", "d", "a", "a", "c", "b"]
        let predicted = ["a", "c", "c", "a", "a", "a", "b", "a", "c", "c"]
        let report = try ClassificationReport(truth: truth, predicted: predicted)
        #expect(report.labels == ["a", "b", "c", "d"])
        #expect(report.perClass.map(\.precision) == [0.6, 0.0, 0.5, 0.0])
        #expect(report.perClass.map(\.recall) == [0.75, 0.0, 1.0, 0.0])
        #expect(report.perClass.map(\.f1) == [0.6666666666666666, 0.0, 0.6666666666666666, 0.0])
        #expect(report.perClass.map(\.support) == [4, 3, 2, 1])
        #expect(isClose(report.macroAverage.precision, 0.275))
        #expect(isClose(report.macroAverage.recall, 0.4375))
        #expect(isClose(report.macroAverage.f1, 0.3333333333333333))
        #expect(report.microAverage == AveragedMetrics(precision: 0.5, recall: 0.5, f1: 0.5))
        #expect(isClose(report.weightedAverage.precision, 0.33999999999999997))
        #expect(isClose(report.weightedAverage.recall, 0.5))
        #expect(isClose(report.weightedAverage.f1, 0.4))
        #expect(report.accuracy == 0.5)
        #expect(report.confusionMatrix.matrix == [[3, 1, 0, 0], [1, 0, 2, 0], [0, 0, 2, 0], [1, 0, 0, 0]])
        #expect(report.metrics(for: "zzz") == nil)
    }

    @Test func reportSpecialInput() throws {
        let empty = try ClassificationReport(truth: [], predicted: [])
        #expect(empty.labels.isEmpty && empty.accuracy == 0)
        #expect(empty.macroAverage == AveragedMetrics(precision: 0, recall: 0, f1: 0))
        #expect(empty.weightedAverage == AveragedMetrics(precision: 0, recall: 0, f1: 0))
        let one = try ClassificationReport(truth: ["x"], predicted: ["x"])
        #expect(
            one.accuracy == 1
                && one.perClass == [ClassMetrics(label: "x", truePositives: 1, predictedCount: 1, support: 1)])
        #expect(throws: ClassificationInputError.lengthMismatch(expected: 2, actual: 1)) {
            try ClassificationReport(truth: ["a", "b"], predicted: ["a"])
        }
        // A label only ever predicted has support 0 and recall 0; it still counts in the macro mean.
        let ghost = try ClassificationReport(truth: ["a", "a"], predicted: ["a", "g"])
        #expect(ghost.labels == ["a", "g"])
        #expect(ghost.metrics(for: "g") == ClassMetrics(label: "g", truePositives: 0, predictedCount: 1, support: 0))
        #expect(ghost.macroAverage.recall == 0.25)
    }

    static let truth = ["2", "10", "2", "1", "10", "1", "2"]
    static let predicted = ["10", "10", "2", "1", "1", "2", "2"]

    @Test func confusionMatrixShardsMergeInEitherOrder() throws {
        let whole = try ConfusionMatrix(truth: Self.truth, predicted: Self.predicted)
        // Shards see labels in different first-seen orders; the merge must not care.
        let left = try ConfusionMatrix(truth: Array(Self.truth[..<3]), predicted: Array(Self.predicted[..<3]))
        let right = try ConfusionMatrix(truth: Array(Self.truth[3...]), predicted: Array(Self.predicted[3...]))
        #expect(left.merging(right) == whole)
        #expect(right.merging(left) == whole)
    }

    @Test func confusionMatrixLabelsAreInNumericOrder() throws {
        let whole = try ConfusionMatrix(truth: Self.truth, predicted: Self.predicted)
        #expect(whole.labels == ["1", "2", "10"])
        #expect(whole.matrix == [[1, 1, 0], [0, 2, 1], [1, 0, 1]])
        #expect(whole.count(truth: "2", predicted: "10") == 1 && whole.count(truth: "7", predicted: "2") == 0)
        #expect(whole.total == 7)
        #expect(ConfusionMatrix(labels: ["z", "y"]).labels == ["y", "z"])
    }

    @Test func recordingAZeroCountChangesNothing() {
        var growing = ConfusionMatrix()
        for i in 0..<50 { growing.record(truth: "c\(i)", predicted: "c\((i + 1) % 50)") }
        growing.record(truth: "c0", predicted: "c1", count: 0)  // ignored
        #expect(growing.total == 50 && growing.count(truth: "c49", predicted: "c0") == 1)
        #expect(growing.count(truth: "c0", predicted: "c1") == 1)
    }

    @Test func confusionMatrixRoundTripsThroughJSON() throws {
        let whole = try ConfusionMatrix(truth: Self.truth, predicted: Self.predicted)
        let data = try JSONEncoder().encode(whole)
        #expect(try JSONDecoder().decode(ConfusionMatrix.self, from: data) == whole)
    }

    @Test func aConfusionMatrixWithARaggedMatrixIsNotDecoded() {
        let bad = Data(#"{"labels":["a","b"],"matrix":[[1,2]]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ConfusionMatrix.self, from: bad) }
    }

    @Test func confusionMatrixCountsSaturate() {
        // Counts saturate instead of trapping on overflow.
        var huge = ConfusionMatrix()
        huge.record(truth: "a", predicted: "a", count: .max)
        huge.record(truth: "a", predicted: "a", count: .max)
        huge.record(truth: "a", predicted: "b", count: .max)
        #expect(huge.total == .max && huge.count(truth: "a", predicted: "a") == .max)
        #expect(ClassificationReport(confusionMatrix: huge).perClass.map(\.support) == [.max, 0])
    }

    @Test func reportIsCodable() throws {
        let report = try ClassificationReport(truth: ["cat", "dog", "cat"], predicted: ["cat", "cat", "dog"])
        let decoded = try JSONDecoder().decode(ClassificationReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
    }

    @Test func binaryROCAUCWithTies() throws {
        let y = [false, false, true, true, false, true, false, true, true, false]
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.0, 1.0, 0.35, 0.2]
        #expect(try ROCAUC.binary(scores: scores, isPositive: y) == 0.8)
        let labels = y.map { $0 ? "yes" : "no" }
        #expect(try ROCAUC.binary(truth: labels, scores: scores, positiveLabel: "yes") == 0.8)
        // All tied: 0.5. Perfect and reversed separation: 1 and 0.
        #expect(try ROCAUC.binary(scores: [0.3, 0.3, 0.3], isPositive: [true, false, true]) == 0.5)
        #expect(try ROCAUC.binary(scores: [0, 1, 2, 3], isPositive: [false, false, true, true]) == 1)
        #expect(try ROCAUC.binary(scores: [0, 1, 2, 3], isPositive: [true, true, false, false]) == 0)
        // -0.0 ties with 0.0; infinities rank normally.
        #expect(
            try ROCAUC.binary(scores: [-0.0, 0.0, -.infinity, .infinity], isPositive: [true, false, false, true])
                == 0.875)
    }

    @Test func binaryROCAUCSpecialInput() throws {
        #expect(try ROCAUC.binary(scores: [], isPositive: []) == nil)
        #expect(try ROCAUC.binary(scores: [0.2, 0.9], isPositive: [true, true]) == nil)  // one class
        #expect(throws: ClassificationInputError.nanScore(row: 1)) {
            try ROCAUC.binary(scores: [0.2, .nan], isPositive: [true, false])
        }
        #expect(throws: ClassificationInputError.lengthMismatch(expected: 1, actual: 2)) {
            try ROCAUC.binary(scores: [0.2, 0.3], isPositive: [true])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func binaryROCAUCOnAMillionRowsMatchesRankSum() throws {
        // O(n) merge of separately sorted groups vs the textbook average-rank formula.
        var rng = SplitMix64(seed: 2024)
        let n = 1_000_000
        var scores = [Double]()
        var positive = [Bool]()
        scores.reserveCapacity(n)
        positive.reserveCapacity(n)
        for _ in 0..<n {
            let isPositive = rng.next() % 3 == 0
            // Coarse scores (many ties) shifted up for positives.
            let score = (Double(rng.next() % 1000) + (isPositive ? 150 : 0)) / 1000
            scores.append(score)
            positive.append(isPositive)
        }
        let auc = try #require(try ROCAUC.binary(scores: scores, isPositive: positive))

        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let averageRank = Double(i + j + 2) / 2
            for k in i...j where positive[order[k]] { rankSum += averageRank }
            i = j + 1
        }
        let n1 = Double(positive.filter { $0 }.count)
        let n0 = Double(n) - n1
        let expected = (rankSum - n1 * (n1 + 1) / 2) / (n1 * n0)
        #expect(isClose(auc, expected, relative: 1e-12), "\(auc) vs \(expected)")
    }

    @Test func multiclassOneVsRest() throws {
        let truth = ["x", "y", "z", "x", "y", "z", "x", "z", "y", "x", "z", "z"]
        let rows: [[Double]] = [
            [0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4],
            [0.5, 0.25, 0.25], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8], [0.9, 0.05, 0.05], [0.0, 0.0, 1.0], [0.35, 0.3, 0.35],
        ]
        var columns = [String: [Double]]()
        for (k, label) in ["x", "y", "z"].enumerated() { columns[label] = rows.map { $0[k] } }
        let ovr = try #require(try ROCAUC.oneVsRest(truth: truth, scoreColumns: columns))
        #expect(ovr.labels == ["x", "y", "z"] && ovr.support == [4, 3, 5])
        #expect(ovr.perClass == [0.921875, 0.6666666666666666, 0.7428571428571429])
        #expect(isClose(ovr.macro, 0.7771329365079365))
        #expect(isClose(ovr.weighted, 0.7834821428571429))
        let loss = try #require(try LogLoss.multiclass(truth: truth, scoreColumns: columns))
        #expect(isClose(loss, 0.8631295702069591))

        // A column for a label that never occurs is ignored; a missing column is an error.
        var extra = columns
        extra["w"] = rows.map { _ in 0 }
        #expect(try ROCAUC.oneVsRest(truth: truth, scoreColumns: extra) == ovr)
        columns["z"] = nil
        #expect(throws: ClassificationInputError.missingScoreColumn(label: "z")) {
            try ROCAUC.oneVsRest(truth: truth, scoreColumns: columns)
        }
        #expect(try ROCAUC.oneVsRest(truth: ["x", "x"], scoreColumns: ["x": [0.5, 0.6]]) == nil)
    }

    @Test func logLossClipsAtMachineEpsilon() throws {
        let y = [false, false, true, true, false, true, false, true, true, false]
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.0, 1.0, 0.35, 0.2]
        let loss = try #require(try LogLoss.binary(isPositive: y, positiveScores: scores))
        #expect(isClose(loss, 0.4589233846689738))
        // Certain and wrong: each such row costs −ln(ε) = 36.04; certain and right −ln(1−ε) = 2.2e-16.
        let clipped = try #require(try LogLoss.binary(isPositive: [true, false, true], positiveScores: [1, 1, 0]))
        #expect(isClose(clipped, 24.029102259411435))
        #expect(try LogLoss.binary(isPositive: [], positiveScores: []) == nil)
        #expect(throws: ClassificationInputError.probabilityOutOfRange(row: 0, value: 1.5)) {
            try LogLoss.binary(isPositive: [true], positiveScores: [1.5])
        }
        #expect(throws: ClassificationInputError.nanScore(row: 0)) {
            try LogLoss.binary(truth: ["1"], positiveScores: [.nan], positiveLabel: "1")
        }
    }
}
