import Testing

@testable import DriftStats

/// Expected values from scikit-learn 1.9.1 (`mean_absolute_error`, `root_mean_squared_error`,
/// `mean_absolute_percentage_error`, `r2_score`), checked by hand where noted.
@Suite struct RegressionTests {
    @Test func scikitLearnExample() throws {
        // scikit-learn's documentation example. By hand: errors 0.5, 0.5, 0, 1 → MAE 0.5,
        // RMSE √(1.5/4); MAPE (0.5/3 + 0.5/0.5 + 0 + 1/7)/4; R² = 1 − 1.5/29.1875.
        let m = try RegressionMetrics(actual: [3, -0.5, 2, 7], predicted: [2.5, 0.0, 2, 8])
        #expect(m.count == 4)
        #expect(m.meanAbsoluteError == 0.5)
        #expect(isClose(m.rootMeanSquaredError, 0.6123724356957945))
        #expect(isClose(m.meanAbsolutePercentageError, 0.3273809523809524))
        #expect(isClose(m.r2, 0.9486081370449679))
        #expect(isClose(m.r2, 1 - 1.5 / 29.1875))
    }

    @Test func percentageErrorDividesByMachineEpsilonAtZero() throws {
        // y = 0 contributes |0 − 0.5| / 2.220446049250313e-16.
        let m = try RegressionMetrics(actual: [0, 1, -2, 4], predicted: [0.5, 1, -1, 5])
        #expect(m.meanAbsoluteError == 0.625)
        #expect(m.rootMeanSquaredError == 0.75)
        #expect(isClose(m.meanAbsolutePercentageError, 562949953421312.2))
        #expect(isClose(m.r2, 0.88))
    }

    @Test func rSquaredForceFinite() throws {
        let perfect = try RegressionMetrics(actual: [2, 2, 2], predicted: [2, 2, 2])
        #expect(perfect.r2 == 1)
        let imperfect = try RegressionMetrics(actual: [2, 2, 2], predicted: [2, 2.5, 1])
        #expect(imperfect.r2 == 0)
        #expect(isClose(imperfect.rootMeanSquaredError, 0.6454972243679028))
        #expect(imperfect.meanAbsolutePercentageError == 0.25)
        // Constant 0.1: numpy's mean is 0.10000000000000002, scikit-learn still gives 1.0 here.
        #expect(try RegressionMetrics(actual: [0.1, 0.1, 0.1], predicted: [0.1, 0.1, 0.1]).r2 == 1)
        // SS_tot is exactly 0 for a constant column even when the rounded mean is not the constant.
        #expect(try RegressionMetrics(actual: [0.1, 0.1, 0.1], predicted: [0.1, 0.2, 0.1]).r2 == 0)
    }

    @Test func largeOffsetsKeepPrecision() throws {
        let y = [1e6 + 1, 1e6 + 2, 1e6 + 3, 1e6 + 4]
        let m = try RegressionMetrics(actual: y, predicted: [1e6 + 1.5, 1e6 + 1.5, 1e6 + 3.5, 1e6 + 4.5])
        #expect(m.meanAbsoluteError == 0.5 && m.rootMeanSquaredError == 0.5)
        #expect(isClose(m.meanAbsolutePercentageError, 4.9999875000375e-07))
        #expect(isClose(m.r2, 0.8))
    }

    @Test func specialInput() throws {
        let one = try RegressionMetrics(actual: [5], predicted: [4])
        #expect(one.meanAbsoluteError == 1 && one.rootMeanSquaredError == 1 && one.meanAbsolutePercentageError == 0.2)
        #expect(one.r2.isNaN)  // scikit-learn: R² not well-defined with fewer than two samples → NaN
        let empty = try RegressionMetrics(actual: [], predicted: [])
        #expect(empty.count == 0 && empty.meanAbsoluteError.isNaN && empty.rootMeanSquaredError.isNaN)
        #expect(empty.meanAbsolutePercentageError.isNaN && empty.r2.isNaN)
        let nan = try RegressionMetrics(actual: [1, .nan, 3], predicted: [1, 2, 3])
        #expect(nan.meanAbsoluteError.isNaN && nan.r2.isNaN)
        let nanPrediction = try RegressionMetrics(actual: [1, 2, 3], predicted: [1, .nan, 3])
        #expect(nanPrediction.rootMeanSquaredError.isNaN && nanPrediction.r2.isNaN)
        #expect(throws: RegressionMetrics.LengthMismatch(actualCount: 2, predictedCount: 1)) {
            try RegressionMetrics(actual: [1, 2], predicted: [1])
        }
    }
}
