import DriftCore
import DriftReport
import DriftStats
import DriftTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The offline HTML report (`driftwatch drift --format html`): well-formed for the golden cases, printing
/// the figures of the JSON output, with distributions and — with --label and --prediction — the error
/// analysis, whose figures match scikit-learn's confusion matrix and accuracy on the golden case.
@Suite struct DriftReportTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dw-\(UUID())-\(name)").path
    }

    /// Runs `drift` twice (json, then html to a file) and returns both.
    static func run(_ arguments: [String]) throws -> (json: JSONObject, html: String) {
        let json = try CLIRunner.run(["drift"] + arguments + ["--format", "json"])
        #expect(json.status == 0 || json.status == 1, "\(json.stderr)")
        let output = temporary("report.html")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let html = try CLIRunner.run(["drift"] + arguments + ["--format", "html", "--output", output])
        #expect(html.status == json.status, "\(html.stderr)")
        return (try json.object(), (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    static func wellFormed(_ html: String) -> Bool {
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        let ok = parser.parse()
        if !ok { Issue.record("not well-formed: \(parser.parserError.map { "\($0)" } ?? "")") }
        return ok
    }

    static let goldenCases = ["cat_missing_category", "num_mean_shift", "num_tiny_5_vs_7"]

    /// The JSON and HTML reports of a golden case with every method that draws a figure.
    static func golden(_ name: String) throws -> (json: JSONObject, html: String) {
        let dir = CLIRunner.fixture("golden/" + name)
        return try Self.run([
            "--reference", dir + "/reference.csv", "--current", dir + "/current.csv",
            "--methods", "ks,psi,chi_square,jensen_shannon,wasserstein_normed,hellinger",
        ])
    }

    @Test(arguments: goldenCases)
    func aGoldenCasesReportIsAWellFormedSelfContainedPage(_ name: String) throws {
        let (_, html) = try Self.golden(name)
        #expect(Self.wellFormed(html))
        #expect(!html.contains("<script") && !html.contains("src=\"http"))
    }

    @Test(arguments: goldenCases)
    func aGoldenCasesReportPrintsTheJSONFigures(_ name: String) throws {
        let (json, html) = try Self.golden(name)
        let columns = try #require(json.objects("columns"))
        #expect(!columns.isEmpty)
        for column in columns {
            for test in try #require(column.objects("tests")) {
                #expect(html.contains("<td class=\"num\">\(HTML.number(number(test["statistic"])))</td>"))
                if let p = number(test["p_value"]) {
                    #expect(html.contains("<td class=\"num\">\(HTML.number(p))</td>"))
                }
            }
        }
        let drifted = try #require(json.object("dataset")?.int("drifted"))
        #expect(html.contains("\(drifted) of \(columns.count) columns drifted"))
    }

    /// Each column's reference vs current distribution is drawn: a histogram or bars.
    @Test(arguments: goldenCases)
    func aGoldenCasesReportDrawsEveryColumnsDistribution(_ name: String) throws {
        let (json, html) = try Self.golden(name)
        for column in try #require(json.objects("columns")) {
            #expect(html.contains(column.string("type") == "numeric" ? "class=\"hc\"" : "class=\"bc\""))
        }
    }

    @Test func errorAnalysisOfTheGoldenMulticlassCaseMatchesScikitLearn() throws {
        let dir = CLIRunner.fixture("golden/clf_multiclass_basic")
        let all = try String(contentsOfFile: dir + "/predictions.csv", encoding: .utf8)
        let reference = Self.temporary("reference.csv")
        defer { try? FileManager.default.removeItem(atPath: reference) }
        try all.split(separator: "\n").prefix(151).joined(separator: "\n").write(
            toFile: reference, atomically: true, encoding: .utf8)
        let (json, html) = try Self.run([
            "--reference", reference, "--current", dir + "/predictions.csv", "--label", "y_true", "--prediction",
            "y_pred",
        ])
        #expect(Self.wellFormed(html))
        let expected = try JSONObject(contentsOfFile: dir + "/expected.json").members
        let e = try #require(json.object("error_analysis"))
        // The current file's confusion matrix and error rate are scikit-learn's (1 − accuracy_score).
        #expect(e.string("measure") == "error_rate")
        #expect(e.int("labelled") == 300)
        let accuracy = try #require(number(dig(expected, "metrics", "accuracy")))
        #expect(close(e.double("overall"), 1 - accuracy, relative: 1e-12))
        let truth = try #require(dig(expected, "metrics", "confusion_matrix", "matrix") as? [[Int]])
        #expect(e.object("latest")?.object("confusion")?["matrix"] as? [[Int]] == truth)
        #expect(e.object("latest")?.object("confusion")?.strings("labels") == ["bird", "cat", "dog"])
        #expect(e.object("baseline")?.int("labelled") == 150)
        // Segments: each score column's deciles (cut on the reference) partition the 300 labelled rows, and
        // their errors add up to the overall count of errors.
        let segments = try #require(e.objects("segments"))
        for column in ["score_bird", "score_cat", "score_dog"] {
            let mine = segments.filter { $0.string("feature") == column }
            #expect(mine.count == 10)
            #expect(mine.reduce(0) { $0 + ($1.int("count") ?? 0) } == 300)
            let errors = mine.reduce(0.0) { $0 + ($1.double("error") ?? 0) * Double($1.int("count") ?? 0) }
            #expect(abs(errors - 300 * (1 - accuracy)) < 1e-9)
        }
        #expect(!segments.contains { $0.string("feature") == "y_true" || $0.string("feature") == "y_pred" })
        // The page prints the JSON figures: the top segments and the confusion counts.
        let top = try #require(e.objects("top_segments"))
        #expect(!top.isEmpty)
        for s in top {
            let feature = try #require(s.string("feature"))
            let segment = try #require(s.string("segment"))
            let count = try #require(s.int("count"))
            let row =
                "<td>\(HTML.escape(feature))</td><td>\(HTML.escape(segment))</td>"
                + "<td class=\"num\">\(count)</td><td class=\"num\">\(HTML.number(s.double("error")))</td>"
            #expect(html.contains(row), "\(row)")
            #expect(html.contains("<td class=\"num\">\(HTML.number(s.double("added")))</td>"))
        }
        for row in truth {
            for n in row { #expect(html.contains("<td>\(n) <span class=\"muted\">")) }
        }
        #expect(html.contains("<b>\(HTML.number(1 - accuracy))</b>error rate</div>"))
    }

    @Test func regressionErrorAnalysisIsTheMAEPerSegment() throws {
        var rng = SplitMix64(seed: 8)
        func table(_ rows: Int, shift: Double) -> (String, [(Double, String, Double, Double)]) {
            var lines = ["x,region,y,y_hat"]
            var data: [(Double, String, Double, Double)] = []
            for _ in 0..<rows {
                let x = rng.nextGaussian() + shift
                let region = rng.nextUniform() < 0.3 ? "north" : "south"
                let y = 2 * x + rng.nextGaussian()
                // The model is worse in the north.
                let yHat = 2 * x + (region == "north" ? 1.5 : 0.2) * rng.nextGaussian()
                lines.append("\(x),\(region),\(y),\(yHat)")
                data.append((x, region, y, yHat))
            }
            return (lines.joined(separator: "\n") + "\n", data)
        }
        let (referenceText, _) = table(400, shift: 0)
        let (currentText, current) = table(300, shift: 0.5)
        let reference = Self.temporary("r.csv")
        let currentPath = Self.temporary("c.csv")
        defer {
            try? FileManager.default.removeItem(atPath: reference)
            try? FileManager.default.removeItem(atPath: currentPath)
        }
        try referenceText.write(toFile: reference, atomically: true, encoding: .utf8)
        try currentText.write(toFile: currentPath, atomically: true, encoding: .utf8)
        let (json, html) = try Self.run([
            "--reference", reference, "--current", currentPath, "--label", "y", "--prediction", "y_hat",
        ])
        #expect(Self.wellFormed(html))
        let e = try #require(json.object("error_analysis"))
        #expect(e.string("measure") == "mae")
        let mae = current.reduce(0.0) { $0 + abs($1.2 - $1.3) } / Double(current.count)
        #expect(close(e.double("overall"), mae, relative: 1e-9))
        let segments = try #require(e.objects("segments"))
        let north = current.filter { $0.1 == "north" }
        let northMAE = north.reduce(0.0) { $0 + abs($1.2 - $1.3) } / Double(north.count)
        let segment = try #require(
            segments.first { $0.string("feature") == "region" && $0.string("segment") == "north" })
        #expect(segment.int("count") == north.count)
        #expect(close(segment.double("error"), northMAE, relative: 1e-9))
        #expect(e.objects("top_segments")?.first?.string("segment") == "north")
        #expect(html.contains("<h3>MAE before and after</h3>"))
        #expect(html.contains("<b>\(HTML.number(mae))</b>MAE</div>"))
    }

    @Test func hostileNamesAreTextInEverySection() throws {
        let x = "<script>alert(1)</script>"
        let category = #""><img src=x onerror=alert(1)>"#
        var rng = SplitMix64(seed: 3)
        func file(_ shift: Double) -> String {
            var lines = ["\(x),kind,label,prediction"]
            for i in 0..<200 {
                let kind = i % 4 == 0 ? "\"\(category.replacingOccurrences(of: "\"", with: "\"\""))\"" : "plain"
                lines.append("\(rng.nextGaussian() + shift),\(kind),\(i % 3 == 0 ? 1 : 0),\(i % 4 == 0 ? 1 : 0)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
        let reference = Self.temporary("r.csv")
        let current = Self.temporary("c.csv")
        defer {
            try? FileManager.default.removeItem(atPath: reference)
            try? FileManager.default.removeItem(atPath: current)
        }
        try file(0).write(toFile: reference, atomically: true, encoding: .utf8)
        try file(1).write(toFile: current, atomically: true, encoding: .utf8)
        let (json, html) = try Self.run([
            "--reference", reference, "--current", current, "--label", "label", "--prediction", "prediction",
            "--categorical", "kind",
        ])
        #expect(Self.wellFormed(html))
        #expect(!html.contains("<script") && !html.contains("<img"))
        // As text: the column's heading, its error segments, and the category's bar and segment.
        #expect(html.contains("<h3 class=\"drift\">&lt;script&gt;alert(1)&lt;/script&gt; "))
        #expect(html.contains("<summary>&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt; reference:"))
        #expect(html.contains("<td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>"))
        let segments = try #require(json.object("error_analysis")?.objects("segments"))
        #expect(segments.contains { $0.string("segment") == category })
    }

    @Test func labelWithoutPredictionIsRefused() throws {
        let out = try CLIRunner.run([
            "drift", "--reference", CLIRunner.fixture("small_ref.csv"), "--current", CLIRunner.fixture("small_cur.csv"),
            "--label", "a",
        ])
        #expect(out.status == 2)
        #expect(out.stderr.contains("--label and --prediction go together"))
    }
}
