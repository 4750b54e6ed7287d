import DriftStats

/// One rule judged on one window for one feature / method / class: the alert it concerns (its labels)
/// and whether the figure broke the bound.
package struct RuleMatch: Sendable, Equatable {
    package let rule: AlertRule
    /// `alertname`, `model`, then `feature`, `method`, `class` where set, then the rule's labels.
    package let labels: [String: String]
    package let value: Double?
    /// nil: not judged this window (no figure, NaN, or too few labels for a performance rule).
    package let breached: Bool?

    /// Prometheus' label-set fingerprint (FNV-1a 64 over the sorted names and values, each followed by
    /// the byte 0xFF; 16 lowercase hex digits) — the same identity Alertmanager gives these labels.
    package var fingerprint: String { Self.fingerprint(labels) }

    package static func fingerprint(_ labels: [String: String]) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add(_ bytes: some Sequence<UInt8>) {
            for b in bytes {
                hash ^= UInt64(b)
                hash = hash &* 1_099_511_628_211
            }
        }
        for name in labels.keys.sorted() {
            add(name.utf8)
            add([0xFF])
            add((labels[name] ?? "").utf8)
            add([0xFF])
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Judges a model's rules on one closed window's figures.
package enum RuleEvaluator {
    /// Every (rule, feature/method/class) match in `figures`. `previousVolumes` are the volumes of the
    /// windows before this one, most recent last (for `volume_ratio`).
    package static func evaluate(
        rules: [AlertRule], model: String, figures: [WindowFigure], previousVolumes: [Double]
    ) -> [RuleMatch] {
        var out: [RuleMatch] = []
        for rule in rules {
            func labels(_ f: WindowFigure?) -> [String: String] {
                var l = rule.labels
                l["alertname"] = rule.name
                l["model"] = model
                if let f {
                    if !f.feature.isEmpty { l["feature"] = f.feature }
                    if !f.method.isEmpty { l["method"] = f.method }
                    if !f.classLabel.isEmpty { l["class"] = f.classLabel }
                }
                return l
            }
            if rule.metric == .volumeRatio {
                let baseline = previousVolumes.suffix(rule.baselineWindows)
                let volume = figures.first { $0.metric == .volume }?.value
                var ratio: Double?
                if baseline.count == rule.baselineWindows, let volume {
                    let mean = baseline.reduce(0, +) / Double(baseline.count)
                    if mean > 0 { ratio = volume / mean }
                }
                out.append(
                    RuleMatch(
                        rule: rule, labels: labels(nil), value: ratio,
                        breached: ratio.map { rule.comparison.breaks($0, rule.threshold) }))
                continue
            }
            var candidates = figures.filter { f in
                f.metric == rule.metric && (rule.feature == nil || rule.feature == f.feature)
                    && (rule.method == nil || rule.method == f.method)
                    && (rule.classLabel == nil || rule.classLabel == f.classLabel)
            }
            let performance = WindowMetric.performance.contains(rule.metric)
            if performance && rule.classLabel == nil && rule.method == nil
                && WindowMetric.perClass.contains(rule.metric)
            {
                // Without a class or an average, a P/R/F1 rule watches the macro average.
                candidates = candidates.filter { $0.classLabel.isEmpty && $0.method == "macro" }
            }
            var values = candidates.map(\.value)
            if rule.correction != .none {
                let finite = values.enumerated().compactMap { i, v in v.map { (i, $0) } }
                let method: PValueCorrection = rule.correction == .bonferroni ? .bonferroni : .benjaminiHochberg
                let adjusted = method.adjusted(finite.map(\.1))
                for (k, (i, _)) in finite.enumerated() { values[i] = adjusted[k] }
            }
            for (f, value) in zip(candidates, values) {
                var breached: Bool?
                if let value, !value.isNaN { breached = rule.comparison.breaks(value, rule.threshold) }
                if performance, let minimum = rule.minLabelCoverage, (f.labelCoverage ?? 0) < minimum {
                    breached = nil
                }
                out.append(RuleMatch(rule: rule, labels: labels(f), value: value, breached: breached))
            }
        }
        return out
    }
}
