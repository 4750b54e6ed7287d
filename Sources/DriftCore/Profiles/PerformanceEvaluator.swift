import DriftStats

/// Realized performance of one window from the predictions that have a label, as scikit-learn computes
/// it (`zero_division=0`); every figure carries the window's label coverage (labelled / volume).
package enum PerformanceEvaluator {
    /// `accuracy`; `precision`, `recall`, `f1` per class (`classLabel` = the class) and macro-averaged
    /// (`classLabel` empty, `method` = `macro`) and weighted (`method` = `weighted`); `labelled` (count)
    /// and `label_coverage`. With no labelled prediction only the last two.
    package static func classification(truth: [String], predicted: [String], volume: Int) -> [WindowFigure] {
        guard let matrix = try? ConfusionMatrix(truth: truth, predicted: predicted) else {
            return classification(ConfusionMatrix(), volume: volume)
        }
        return classification(matrix, volume: volume)
    }

    /// The same figures from a window's counts: one cell per (label, prediction) pair with its number of
    /// predictions (nil label: not labelled yet; nil prediction: none logged). Only pairs with both count
    /// as labelled; every cell counts in the volume. Memory is bounded by the classes, not the events.
    ///
    /// With `scores` (a binary classifier's, `ScoreTally`), also `roc_auc` (`BinnedROCAUC`, with its error
    /// bound as `roc_auc_bound`) and `log_loss`, the positive class being the greater of the two classes in
    /// `cells` (as `driftwatch metrics` takes it) — when every labelled prediction has a score in [0, 1] and a
    /// label of one of those two classes; else neither.
    package static func classification(
        cells: [(label: String?, prediction: String?, count: Int)], scores: [ScoreTally]? = nil
    ) -> [WindowFigure] {
        var matrix = ConfusionMatrix()
        var volume = 0
        for cell in cells {
            volume = volume.addingSaturating(cell.count)
            if let label = cell.label, let prediction = cell.prediction {
                matrix.record(truth: label, predicted: prediction, count: cell.count)
            }
        }
        var figures = classification(matrix, volume: volume)
        if let scores, matrix.total > 0, matrix.labels.count == 2 {
            let coverage = volume > 0 ? Double(matrix.total) / Double(volume) : nil
            figures += scoreFigures(scores, negative: matrix.labels[0], positive: matrix.labels[1], coverage: coverage)
        }
        return figures
    }

    /// `roc_auc`, `roc_auc_bound` and `log_loss` of a binary window's score tallies (see
    /// `classification(cells:scores:)`); none when a tally has no bin or another label.
    static func scoreFigures(
        _ scores: [ScoreTally], negative: String, positive: String, coverage: Double?
    ) -> [WindowFigure] {
        var positives: [Int: Int] = [:]
        var negatives: [Int: Int] = [:]
        var loss = CompensatedSum()
        var count = 0
        for tally in scores {
            // Labels compare by their exact scalars, as everywhere (`LabelOrder`).
            let isPositive = tally.label.utf8.elementsEqual(positive.utf8)
            guard let bin = tally.bin, isPositive || tally.label.utf8.elementsEqual(negative.utf8) else { return [] }
            if isPositive {
                positives[bin, default: 0] = positives[bin, default: 0].addingSaturating(tally.count)
            } else {
                negatives[bin, default: 0] = negatives[bin, default: 0].addingSaturating(tally.count)
            }
            loss.add(isPositive ? tally.lossIfPositive : tally.lossIfNegative)
            count = count.addingSaturating(tally.count)
        }
        guard count > 0 else { return [] }
        var out = [WindowFigure(.logLoss, value: loss.value / Double(count), labelCoverage: coverage)]
        if let (auc, bound) = BinnedROCAUC.auc(positives: positives, negatives: negatives) {
            out.append(WindowFigure(.rocAUC, value: auc, labelCoverage: coverage))
            out.append(WindowFigure(.rocAUCBound, value: bound, labelCoverage: coverage))
        }
        return out
    }

    /// The figures of `matrix` (its total is the labelled count) in a window of `volume` predictions.
    static func classification(_ matrix: ConfusionMatrix, volume: Int) -> [WindowFigure] {
        let labelled = matrix.total
        let coverage = volume > 0 ? Double(labelled) / Double(volume) : nil
        var out = [
            WindowFigure(.labelled, value: Double(labelled), labelCoverage: coverage),
            WindowFigure(.labelCoverage, value: coverage, labelCoverage: coverage),
        ]
        guard labelled > 0 else { return out }
        let report = ClassificationReport(confusionMatrix: matrix)
        out.append(WindowFigure(.accuracy, value: report.accuracy, labelCoverage: coverage))
        for c in report.perClass {
            out.append(WindowFigure(.precision, classLabel: c.label, value: c.precision, labelCoverage: coverage))
            out.append(WindowFigure(.recall, classLabel: c.label, value: c.recall, labelCoverage: coverage))
            out.append(WindowFigure(.f1, classLabel: c.label, value: c.f1, labelCoverage: coverage))
        }
        for (method, m) in [("macro", report.macroAverage), ("weighted", report.weightedAverage)] {
            out.append(WindowFigure(.precision, method: method, value: m.precision, labelCoverage: coverage))
            out.append(WindowFigure(.recall, method: method, value: m.recall, labelCoverage: coverage))
            out.append(WindowFigure(.f1, method: method, value: m.f1, labelCoverage: coverage))
        }
        return out
    }

    /// `mae`, `rmse`, `r2` (`RegressionMetrics`), `labelled` and `label_coverage`.
    package static func regression(actual: [Double], predicted: [Double], volume: Int) -> [WindowFigure] {
        let coverage = volume > 0 ? Double(actual.count) / Double(volume) : nil
        var out = [
            WindowFigure(.labelled, value: Double(actual.count), labelCoverage: coverage),
            WindowFigure(.labelCoverage, value: coverage, labelCoverage: coverage),
        ]
        guard !actual.isEmpty, let m = try? RegressionMetrics(actual: actual, predicted: predicted) else { return out }
        out.append(WindowFigure(.mae, value: m.meanAbsoluteError, labelCoverage: coverage))
        out.append(WindowFigure(.rmse, value: m.rootMeanSquaredError, labelCoverage: coverage))
        out.append(WindowFigure(.r2, value: m.r2, labelCoverage: coverage))
        return out
    }
}
