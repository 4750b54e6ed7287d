import DriftStats
import DriftTables
import Foundation
import Testing

@testable import DriftCore
@testable import DriftTables

/// Numbers from events and stored data that reach integer arithmetic: a defined result, never a trap.
@Suite struct CheckedInputArithmeticTests {
    @Test func theCivilDateOfAnyDayCountIsDefined() {
        #expect(RFC3339.civil(0) == (1970, 1, 1))
        let (year, month, day) = RFC3339.civil(Int64.max)
        #expect(year > 0 && (1...12).contains(month) && (1...31).contains(day))
        let (minYear, _, _) = RFC3339.civil(Int64.min)
        #expect(minYear < 0)
    }

    @Test func storedProfileCountsPast2To53AreRejected() {
        let json =
            #"{"count": 9223372036854775807, "missing": 0, "non_finite": 0, "grid_counts": [1], "exact_limit": 1}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(NumericProfile.self, from: Data(json.utf8))
        }
        let categorical = #"{"counts": {"a": 9223372036854775807, "b": 1}, "missing": 0}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CategoricalProfile.self, from: Data(categorical.utf8))
        }
    }

    @Test func mergedCategoryCountsSaturate() {
        var profile = CategoricalProfile(counts: ["a": Int.max - 1], missing: Int.max)
        profile.merge(CategoricalProfile(counts: ["a": 5, "b": 1], missing: 1))
        #expect(profile.counts["a"] == Int.max)
        #expect(profile.missing == Int.max)
        #expect(profile.count == Int.max)
    }

    @Test func storedAlertStateSaturatesAtItsLimits() {
        let rule = AlertRule(name: "r", metric: "psi", comparison: .above, threshold: 1)
        let firing = OpenAlertState(state: .firing, breaches: Int.max, clearWindows: 0, lastNotifiedAt: Int64.min)
        let (next, event) = AlertTransition.next(
            firing, breached: true, rule: rule, now: Int64.max, repeatIntervalSeconds: Int.max)
        #expect(next?.breaches == Int.max)
        #expect(event == .reminder)
    }
}
