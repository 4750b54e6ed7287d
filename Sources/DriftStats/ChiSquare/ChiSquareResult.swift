/// The outcome of a chi-square test.
public struct ChiSquareResult: Sendable, Equatable {
    /// The test statistic X² (after Yates' correction when ``yatesCorrectionApplied``).
    public let statistic: Double
    /// `P(χ²_dof > statistic)`.
    public let pValue: Double
    /// Degrees of freedom (categories − 1).
    public let degreesOfFreedom: Int
    /// `true` when Yates' continuity correction was applied (contingency test with dof = 1).
    public let yatesCorrectionApplied: Bool

    /// A result from its parts.
    public init(statistic: Double, pValue: Double, degreesOfFreedom: Int, yatesCorrectionApplied: Bool) {
        self.statistic = statistic
        self.pValue = pValue
        self.degreesOfFreedom = degreesOfFreedom
        self.yatesCorrectionApplied = yatesCorrectionApplied
    }

    /// The result for input the test cannot be computed on: statistic and p-value NaN.
    static func undefined(degreesOfFreedom: Int) -> ChiSquareResult {
        ChiSquareResult(
            statistic: .nan, pValue: .nan, degreesOfFreedom: degreesOfFreedom, yatesCorrectionApplied: false)
    }
}
