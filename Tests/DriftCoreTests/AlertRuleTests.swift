import DriftCore
import Testing

@Suite struct AlertRuleTests {
    func rule(_ metric: WindowMetric, _ comparison: AlertComparison, _ threshold: Double) -> AlertRule {
        AlertRule(name: "r", metric: metric, comparison: comparison, threshold: threshold)
    }

    @Test func theLifecycleFiresAfterForWindowsRemindsAndResolvesAfterKeepFiringFor() {
        var r = rule("psi", .above, 0.2)
        r.forWindows = 2
        r.keepFiringFor = 1
        let hour: Int64 = 3_600_000_000
        var state: OpenAlertState?
        var events: [AlertEvent?] = []
        // breach, breach, breach (2 h later: a reminder at repeat 2 h), clear, clear, breach
        for (i, breached) in [true, true, true, false, false, true].enumerated() {
            let (next, event) = AlertTransition.next(
                state, breached: breached, rule: r, now: Int64(i) * hour, repeatIntervalSeconds: 7200)
            state = next?.state == .resolved ? nil : next
            events.append(event)
        }
        #expect(events == [nil, .firing, nil, nil, .resolved, nil])
        // A reminder once the repeat interval has passed while still breaking.
        let firing = OpenAlertState(state: .firing, breaches: 3, clearWindows: 0, lastNotifiedAt: 0)
        #expect(
            AlertTransition.next(firing, breached: true, rule: r, now: 2 * hour, repeatIntervalSeconds: 7200).event
                == .reminder)
        #expect(
            AlertTransition.next(firing, breached: true, rule: r, now: 2 * hour, repeatIntervalSeconds: nil).event
                == nil)
        // A pending alert that clears resolves without a word; an unjudged window changes nothing.
        let pending = OpenAlertState(state: .pending, breaches: 1, clearWindows: 0, lastNotifiedAt: nil)
        let cleared = AlertTransition.next(pending, breached: false, rule: r, now: 0, repeatIntervalSeconds: nil)
        #expect(cleared.state?.state == .resolved && cleared.event == nil)
        #expect(
            AlertTransition.next(pending, breached: nil, rule: r, now: 0, repeatIntervalSeconds: nil).state == pending)
    }

    @Test func rulesMatchFeaturesCoverageVolumeAndCorrectedPValues() {
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
        let volume = rule("volume_ratio", .below, 0.5)
        pValues.name = "raw"
        f1.name = "f1"
        let matches = RuleEvaluator.evaluate(
            rules: [pValues, corrected, f1, guarded, volume], model: "m", figures: figures,
            previousVolumes: [100, 100, 100, 100])
        func breached(_ name: String) -> [Bool?] { matches.filter { $0.rule.name == name }.map(\.breached) }
        #expect(breached("raw") == [true, true])
        #expect(breached("corrected") == [true, false])  // 0.02 and 0.08 after Bonferroni (m = 2)
        #expect(breached("f1") == [true])  // the macro average only
        #expect(breached("guarded") == [nil])  // 20 % labelled < 50 %
        #expect(breached("volume_ratio") == [] && breached("r") == [true])  // 40 / mean(100, 100, 100) = 0.4
        let a = matches.first { $0.rule.name == "raw" }
        #expect(a?.labels == ["alertname": "raw", "model": "m", "feature": "a", "method": "ks"])
        // Prometheus' fingerprint of that label set (FNV-1a 64, model.LabelSet.Fingerprint).
        #expect(a?.fingerprint.count == 16)
        #expect(RuleMatch.fingerprint([:]) == "cbf29ce484222325")
    }
}
