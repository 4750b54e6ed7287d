import DriftCore
import Testing

@Suite struct AlertRuleTests {
    static func rule(_ metric: WindowMetric, _ comparison: AlertComparison, _ threshold: Double) -> AlertRule {
        AlertRule(name: "r", metric: metric, comparison: comparison, threshold: threshold)
    }

    static let hour: Int64 = 3_600_000_000

    /// A PSI rule that fires after 2 breaching windows and keeps firing for 1 clear one.
    static var psiRule: AlertRule {
        var r = rule("psi", .above, 0.2)
        r.forWindows = 2
        r.keepFiringFor = 1
        return r
    }

    /// The events of the windows: breach, breach, breach (2 h later: a reminder at repeat 2 h), clear,
    /// clear, breach.
    static func lifecycleEvents() -> [AlertEvent?] {
        var state: OpenAlertState?
        var events: [AlertEvent?] = []
        for (i, breached) in [true, true, true, false, false, true].enumerated() {
            let (next, event) = AlertTransition.next(
                state, breached: breached, rule: psiRule, now: Int64(i) * hour, repeatIntervalSeconds: 7200)
            state = next?.state == .resolved ? nil : next
            events.append(event)
        }
        return events
    }

    @Test func anAlertFiresOnceItsForWindowsHaveBreached() {
        #expect(Array(Self.lifecycleEvents().prefix(3)) == [nil, .firing, nil])
    }

    @Test func anAlertResolvesOnceItsKeepFiringForWindowsHaveCleared() {
        #expect(Array(Self.lifecycleEvents().suffix(3)) == [nil, .resolved, nil])
    }

    @Test func aFiringAlertRemindsOnceTheRepeatIntervalHasPassed() {
        let firing = OpenAlertState(state: .firing, breaches: 3, clearWindows: 0, lastNotifiedAt: 0)
        #expect(
            AlertTransition.next(
                firing, breached: true, rule: Self.psiRule, now: 2 * Self.hour, repeatIntervalSeconds: 7200
            ).event == .reminder)
        #expect(
            AlertTransition.next(
                firing, breached: true, rule: Self.psiRule, now: 2 * Self.hour, repeatIntervalSeconds: nil
            ).event == nil)
    }

    @Test func aPendingAlertThatClearsResolvesWithoutAWord() {
        let pending = OpenAlertState(state: .pending, breaches: 1, clearWindows: 0, lastNotifiedAt: nil)
        let cleared = AlertTransition.next(
            pending, breached: false, rule: Self.psiRule, now: 0, repeatIntervalSeconds: nil)
        #expect(cleared.state?.state == .resolved && cleared.event == nil)
    }

    @Test func anUnjudgedWindowChangesNoAlert() {
        let pending = OpenAlertState(state: .pending, breaches: 1, clearWindows: 0, lastNotifiedAt: nil)
        #expect(
            AlertTransition.next(pending, breached: nil, rule: Self.psiRule, now: 0, repeatIntervalSeconds: nil).state
                == pending)
    }

    /// Five rules (raw and Bonferroni-corrected p-values, F1, F1 needing half the labels, the volume ratio)
    /// evaluated on one window's figures, after windows of 100 events.
    static func matches() -> [RuleMatch] {
        let figures = [
            WindowFigure("volume", value: 40),
            WindowFigure("p_value", feature: "a", method: "ks", value: 0.01),
            WindowFigure("p_value", feature: "b", method: "ks", value: 0.04),
            WindowFigure("f1", classLabel: "1", value: 0.5, labelCoverage: 0.2),
            WindowFigure("f1", method: "macro", value: 0.6, labelCoverage: 0.2),
            WindowFigure("f1", method: "weighted", value: 0.9, labelCoverage: 0.2),
        ]
        var pValues = rule("p_value", .below, 0.05)
        var corrected = pValues
        corrected.name = "corrected"
        corrected.correction = .bonferroni
        var f1 = rule("f1", .below, 0.8)
        var guarded = f1
        guarded.name = "guarded"
        guarded.minLabelCoverage = 0.5
        var volume = rule("volume_ratio", .below, 0.5)
        volume.name = "volume"
        pValues.name = "raw"
        f1.name = "f1"
        return RuleEvaluator.evaluate(
            rules: [pValues, corrected, f1, guarded, volume], model: "m", figures: figures,
            previousVolumes: [100, 100, 100, 100])
    }

    static func breached(_ name: String) -> [Bool?] { matches().filter { $0.rule.name == name }.map(\.breached) }

    @Test func aPValueRuleJudgesEveryFeature() {
        #expect(Self.breached("raw") == [true, true])
    }

    @Test func aCorrectedPValueRuleJudgesTheAdjustedPValues() {
        #expect(Self.breached("corrected") == [true, false])  // 0.02 and 0.08 after Bonferroni (m = 2)
    }

    @Test func anF1RuleWithoutAClassJudgesTheMacroAverage() {
        #expect(Self.breached("f1") == [true])
    }

    @Test func aRuleBelowItsLabelCoverageIsNotJudged() {
        #expect(Self.breached("guarded") == [nil])  // 20 % labelled < 50 %
    }

    @Test func aVolumeRatioRuleComparesWithTheMeanOfThePreviousWindows() {
        #expect(Self.breached("volume") == [true])  // 40 / mean(100, 100, 100) = 0.4
    }

    @Test func aMatchIsIdentifiedLikeAPrometheusAlert() {
        let a = Self.matches().first { $0.rule.name == "raw" }
        #expect(a?.labels == ["alertname": "raw", "model": "m", "feature": "a", "method": "ks"])
        // Prometheus' fingerprint of that label set (FNV-1a 64, model.LabelSet.Fingerprint).
        #expect(a?.fingerprint.count == 16)
        #expect(RuleMatch.fingerprint([:]) == "cbf29ce484222325")
    }
}
