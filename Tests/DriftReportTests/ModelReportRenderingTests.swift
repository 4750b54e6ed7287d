import DriftCore
import DriftReport
import DriftStats
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The model report as `ModelReportRenderer` draws it from a `ModelReport` (what the agent loads from the
/// database is tested with the agent): well-formed, escaped, within its size bound.
@Suite struct ModelReportRenderingTests {
    static func wellFormed(_ html: String) -> Bool {
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        let ok = parser.parse()
        if !ok { Issue.record("not well-formed: \(parser.parserError.map { "\($0)" } ?? "")") }
        return ok
    }

    static let t0: Int64 = 1_795_420_800_000_000
    static let hour: Int64 = 3_600_000_000

    /// Six hourly windows of a binary model whose F1 drops after the third, and three finished retraining
    /// jobs: one promoted, one kept (its reason hostile), one failed.
    static func retrainedModelReport() -> ModelReport {
        let model = ModelConfiguration(
            name: "churn", task: .binary, features: [FeatureConfiguration(name: "tenure", type: .numeric)],
            defaults: ModelDefaults())
        var points: [ModelReport.Point] = []
        for w in 0..<6 {
            let start = t0 + Int64(w) * hour
            points.append(
                ModelReport.Point(
                    windowStart: start, windowEnd: start + hour, figure: WindowFigure("volume", value: 100)))
            points.append(
                ModelReport.Point(
                    windowStart: start, windowEnd: start + hour,
                    figure: WindowFigure("f1", method: "macro", value: w < 3 ? 0.9 : 0.7)))
        }
        let retraining = [
            ModelReport.Retraining(
                finishedAt: t0 + 4 * hour, status: "succeeded", reason: "f1_drop", decision: "promoted", metric: "f1",
                champion: 0.71, challenger: 0.93, version: 2),
            ModelReport.Retraining(
                finishedAt: t0 + 5 * hour, status: "succeeded", reason: "<script>alert(1)</script>", decision: "kept",
                metric: "f1", champion: 0.93, challenger: 0.9, version: 3),
            ModelReport.Retraining(
                finishedAt: t0 + 5 * hour + 60_000_000, status: "failed", reason: "manual",
                error: "not enough labelled rows"),
        ]
        return ModelReport(
            model: model, from: t0, to: t0 + 6 * hour, generatedAt: t0 + 7 * hour, referenceSource: nil,
            referenceRows: nil, points: points, alerts: [], retraining: retraining)
    }

    @Test func aReportWithRetrainingEventsIsWellFormed() {
        #expect(Self.wellFormed(ModelReportRenderer.render(Self.retrainedModelReport())))
    }

    /// On the time axis: a line per finished job, promoted / kept / failed told apart.
    @Test func retrainingEventsAreDrawnOnTheTimeAxisByOutcome() {
        let html = ModelReportRenderer.render(Self.retrainedModelReport())
        #expect(html.contains("<g class=\"rp\"><title>retraining (f1_drop) succeeded"))
        #expect(html.contains("<g class=\"rk\">") && html.contains("<g class=\"rf\">"))
        #expect(html.contains(": promoted, f1 0.71 → 0.93, version 2</title>"))
    }

    @Test func aRetrainingReasonIsEscapedInTheTable() {
        let html = ModelReportRenderer.render(Self.retrainedModelReport())
        #expect(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
        #expect(!html.contains("<script"))
    }

    @Test func theRetrainingTableShowsTheComparedFiguresOfAJob() {
        let html = ModelReportRenderer.render(Self.retrainedModelReport())
        #expect(html.contains("<td class=\"num\">0.71</td><td class=\"num\">0.93</td><td class=\"num\">2</td>"))
    }

    /// The size bound of the issue: 200 features × 1,000 windows (every figure the agent stores, with
    /// distributions, an error analysis, alerts and retraining events) render under 2 MB, well-formed.
    @Test func aReportOfTwoHundredFeaturesOverAThousandWindowsStaysUnderTwoMegabytes() throws {
        var rng = SplitMix64(seed: 2024)
        let features = (0..<200).map { i in
            FeatureConfiguration(name: "feature_\(i)", type: i % 4 == 3 ? .categorical : .numeric)
        }
        let model = ModelConfiguration(name: "big", task: .binary, features: features, defaults: ModelDefaults())
        let hour: Int64 = 3_600_000_000
        let t0: Int64 = 1_700_000_000_000_000
        var points: [ModelReport.Point] = []
        points.reserveCapacity(1_100_000)
        for w in 0..<1000 {
            let start = t0 + Int64(w) * hour
            func add(_ figure: WindowFigure) {
                points.append(ModelReport.Point(windowStart: start, windowEnd: start + hour, figure: figure))
            }
            for f in features {
                let methods = f.type == .numeric ? ["ks", "psi"] : ["chi_square", "psi"]
                for m in methods {
                    let statistic = abs(rng.nextGaussian()) * 0.08
                    let drift = statistic > 0.1
                    add(
                        WindowFigure(
                            "drift_statistic", feature: f.name, method: m, value: statistic,
                            threshold: m == "psi" ? 0.1 : 0.05, drift: drift))
                    if m != "psi" {
                        add(
                            WindowFigure(
                                "p_value", feature: f.name, method: m, value: rng.nextUniform(), threshold: 0.05,
                                drift: drift))
                    }
                }
                add(WindowFigure("missing_rate", feature: f.name, value: rng.nextUniform() * 0.01))
            }
            for (metric, value): (WindowMetric, Double) in [
                ("volume", 5000.0), ("latency_p50", 12), ("latency_p95", 40), ("latency_p99", 80), ("accuracy", 0.9),
                ("label_coverage", 0.8), ("drifted_features", 3), ("drifted_feature_ratio", 0.015),
                ("late_events", 2),
            ] {
                add(WindowFigure(metric, value: value + rng.nextUniform()))
            }
            for metric: WindowMetric in ["f1", "precision", "recall"] {
                add(WindowFigure(metric, method: "macro", value: 0.8 + rng.nextUniform() * 0.1))
            }
        }
        var distributions: [String: Distribution] = [:]
        var segments: [ErrorAnalysisBuilder.Feature] = []
        for f in features {
            if f.type == .numeric {
                let r = (0..<2000).map { _ in rng.nextGaussian() }.sorted()
                let c = (0..<2000).map { _ in rng.nextGaussian() + 0.3 }.sorted()
                distributions[f.name] = Distribution.numeric(referenceSorted: r, currentSorted: c)
                segments.append(.numeric(name: f.name, cutPoints: ErrorAnalysisBuilder.deciles(sorted: r)))
            } else {
                var r: [String: Int] = [:]
                var c: [String: Int] = [:]
                for k in 0..<40 {
                    r["category \(k)"] = 100 + k
                    c["category \(k)"] = 140 - k
                }
                distributions[f.name] = Distribution.categorical(reference: r, current: c)
                segments.append(.categorical(name: f.name))
            }
        }
        var errors = ErrorAnalysisBuilder(measure: .errorRate, features: segments)
        let numericCount = features.filter { $0.type == .numeric }.count
        for _ in 0..<20_000 {
            let truth = rng.nextUniform() < 0.5 ? "0" : "1"
            let predicted = rng.nextUniform() < 0.85 ? truth : (truth == "0" ? "1" : "0")
            let e = errors.record(.current, truth: truth, predicted: predicted)
            errors.addSegments(
                numeric: (0..<numericCount).map { _ in rng.nextGaussian() },
                categorical: (0..<(features.count - numericCount)).map { _ in "category \(Int(rng.nextUniform() * 40))"
                },
                error: e)
        }
        let alerts = (0..<20).map { (k: Int) -> ModelReport.Alert in
            let start: Int64 = t0 + Int64(k * 50) * hour
            let end: Int64? = k == 19 ? nil : start + 5 * hour
            return ModelReport.Alert(
                rule: "shift", state: k == 19 ? "firing" : "resolved", severity: "warning",
                labels: "{\"feature\": \"feature_\(k)\"}", startsAt: start, endsAt: end)
        }
        let retraining = (0..<5).map { (k: Int) -> ModelReport.Retraining in
            ModelReport.Retraining(
                finishedAt: t0 + Int64(k * 200 + 7) * hour, status: "succeeded", reason: "shift",
                decision: k % 2 == 0 ? "promoted" : "kept", metric: "f1", champion: 0.8, challenger: 0.85,
                version: k + 2)
        }
        let report = ModelReport(
            model: model, from: t0, to: t0 + 1000 * hour, generatedAt: t0 + 1001 * hour,
            referenceSource: "file:train.csv", referenceRows: 50_000, points: points, alerts: alerts,
            retraining: retraining, distributions: distributions, currentNote: "all 5,000,000 events",
            errorAnalysis: errors.build(baseline: nil, latest: "this report's windows", note: "synthetic"))
        let html = ModelReportRenderer.render(report)
        let bytes = html.utf8.count
        #expect(bytes < 2_000_000, "the report is \(bytes) bytes")
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // Every feature has its distribution, its tests and its history.
        #expect(html.components(separatedBy: "<path d=\"M48 ").count > 200)
        #expect(html.contains("feature_199"))
    }
}
