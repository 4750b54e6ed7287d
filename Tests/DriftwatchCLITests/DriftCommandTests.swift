import DriftCore
import DriftReport
import DriftTables
import DriftTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct DriftCommandTests {
    let ref = CLIRunner.fixture("small_ref.csv")
    let cur = CLIRunner.fixture("small_cur.csv")

    @Test func jsonOutputHasTheDocumentedShape() throws {
        let out = try CLIRunner.run(["drift", "--reference", ref, "--current", cur, "--format", "json"])
        #expect(out.status == 0 || out.status == 1, "\(out.stderr)")
        let json = try out.object()
        #expect(json.object("reference")?.int("rows") == 4)
        #expect(json.object("current")?.int("rows") == 3)
        let columns = try #require(json.objects("columns"))
        #expect(columns.map { $0.string("name") } == ["a", "b", "c"])
        #expect(columns.map { $0.string("type") } == ["numeric", "categorical", "numeric"])
        #expect(columns.first?.objects("tests")?.map { $0.string("method") } == ["ks", "psi"])
        #expect(columns.dropFirst().first?.objects("tests")?.map { $0.string("method") } == ["chi_square", "psi"])
        let dataset = try #require(json.object("dataset"))
        #expect(dataset.int("columns") == 3)
        let drift = try #require(dataset.bool("drift") as Bool?)
        #expect(out.status == (drift ? 1 : 0))
    }

    /// `--output` to a device writes to it; it never replaces it with a file (as root, an atomic rename
    /// over /dev/null would).
    @Test func outputToADeviceWritesInPlace() throws {
        let out = try CLIRunner.run(["drift", "--reference", ref, "--current", cur, "--output", "/dev/null"])
        #expect(out.status != 2, "\(out.stderr)")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0)
        #expect((status.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func goldenKSThroughTheCommandLine() throws {
        let dir = CLIRunner.fixture("golden/num_mean_shift")
        let out = try CLIRunner.run([
            "drift", "--reference", dir + "/reference.csv", "--current", dir + "/current.csv", "--format", "json",
            "--methods", "ks,wasserstein_normed,psi",
        ])
        let expected = try JSONObject(contentsOfFile: dir + "/expected.json").members
        let tests = try #require(try out.object().objects("columns")?.first?.objects("tests"))
        try #require(tests.count == 3)
        #expect(
            close(
                number(tests[0]["statistic"]),
                number(dig(expected, "columns", "x", "ks_2samp", "auto", "statistic"))))
        #expect(
            close(
                number(tests[0]["p_value"]), number(dig(expected, "columns", "x", "ks_2samp", "auto", "pvalue")),
                relative: 1e-9))
        #expect(
            close(
                number(tests[1]["statistic"]),
                number(dig(expected, "columns", "x", "wasserstein", "evidently_normed", "value"))))
        #expect(close(number(tests[2]["statistic"]), number(dig(expected, "columns", "x", "psi_decile", "value"))))
    }

    /// Each form of the chi-square test (scipy's contingency test, Evidently's goodness of fit) gives the
    /// golden figures.
    @Test(arguments: ["contingency", "evidently"])
    func goldenChiSquareFormThroughTheCommandLine(_ form: String) throws {
        let dir = CLIRunner.fixture("golden/cat_missing_category")
        let expected = try JSONObject(contentsOfFile: dir + "/expected.json").members
        let truth =
            form == "contingency"
            ? dig(expected, "columns", "c", "chi2_contingency", "default")
            : dig(expected, "columns", "c", "evidently_chisquare")
        let out = try CLIRunner.run([
            "drift", "--reference", dir + "/reference.csv", "--current", dir + "/current.csv", "--format", "json",
            "--methods", "chi_square", "--chi-square-form", form,
        ])
        let test = try #require(try out.object().objects("columns")?.first?.objects("tests")?.first)
        #expect(close(number(test["statistic"]), number(dig(truth, "statistic"))))
        #expect(close(number(test["p_value"]), number(dig(truth, "pvalue")), relative: 1e-9))
        #expect(test.string("form") == form)
    }

    @Test func theTextOutputSummarisesTheDataset() throws {
        let text = try CLIRunner.run(["drift", "--reference", ref, "--current", cur])
        #expect(text.stdout.contains("dataset:"))
    }

    /// The HTML report of the small files, written to a file.
    func htmlPage() throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dw-report-\(UUID()).html").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let html = try CLIRunner.run([
            "drift", "--reference", ref, "--current", cur, "--format", "html", "--output", output,
        ])
        #expect(html.status == 0 || html.status == 1, "\(html.stderr)")
        return try String(contentsOfFile: output, encoding: .utf8)
    }

    @Test func theHTMLOutputIsASelfContainedPage() throws {
        let page = try htmlPage()
        #expect(page.lowercased().hasPrefix("<!doctype html>"))
        #expect(!page.contains("<script"))
        #expect(page.contains("<svg"))  // each column's reference vs current distribution
        #expect(page.contains("Columns"))
    }

    /// Every statistic the JSON output gives is the one the page prints.
    @Test func theHTMLOutputPrintsTheStatisticsOfTheJSONOutput() throws {
        let page = try htmlPage()
        let json = try CLIRunner.run(["drift", "--reference", ref, "--current", cur, "--format", "json"])
        let columns = try #require(try json.object().objects("columns"))
        #expect(!columns.isEmpty)
        for column in columns {
            for test in try #require(column.objects("tests")) {
                let statistic = try #require(test.double("statistic"))
                #expect(page.contains("<td class=\"num\">\(HTML.number(statistic))</td>"))
            }
        }
    }

    @Test func ndjsonInputIsReadByExtension() throws {
        let out = try CLIRunner.run([
            "drift", "--reference", CLIRunner.fixture("small.ndjson"), "--current", ref, "--format", "json",
        ])
        #expect(out.status == 0 || out.status == 1, "\(out.stderr)")
        #expect((out.json["columns"] as? [Any])?.count == 3)
    }

    @Test(arguments: [
        ("empty.csv", "empty"), ("header_only.csv", "no data rows"), ("ragged.csv", ":3:"),
        ("nonnumeric.csv", ":122: column 'c'"), ("does-not-exist.csv", "cannot open"),
    ])
    func badInputExitsTwoNamingThePlace(_ file: String, _ fragment: String) throws {
        let path = file == "does-not-exist.csv" ? "/nonexistent/does-not-exist.csv" : CLIRunner.fixture(file)
        let out = try CLIRunner.run(["drift", "--reference", ref, "--current", path])
        #expect(out.status == 2)
        #expect(out.stderr.contains(file), "\(out.stderr)")
        #expect(out.stderr.contains(fragment), "\(out.stderr)")
    }

    @Test func unknownColumnIsAnError() throws {
        let out = try CLIRunner.run(["drift", "--reference", ref, "--current", cur, "--columns", "a,nope"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("'nope'"))
    }

    @Test func badOptionsExitTwo() throws {
        for arguments in [
            ["--methods", "magic"], ["--threshold", "psi"], ["--binning", "deciles"], ["--bins", "1"],
        ] {
            let out = try CLIRunner.run(["drift", "--reference", ref, "--current", cur] + arguments)
            #expect(out.status == 2, "\(arguments): \(out.stderr)")
        }
    }

    @Test func aByteOrderMarkIsNotPartOfTheFirstColumnName() throws {
        let bom = CLIRunner.fixture("bom.csv")
        let out = try CLIRunner.run(["drift", "--reference", bom, "--current", bom, "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(try out.object().objects("columns")?.first?.string("name") == "a")
    }

    @Test func missingValuesAreCountedPerColumn() throws {
        let missing = CLIRunner.fixture("missing.csv")
        let out = try CLIRunner.run(["drift", "--reference", missing, "--current", ref, "--format", "json"])
        #expect(out.status == 0 || out.status == 1, "\(out.stderr)")
        let columns = try #require(try out.object().objects("columns"))
        #expect(columns.map { $0.object("missing")?.int("reference") }.prefix(2) == [2, 1])
    }

    @Test func missingValuesAreReportedWithTheirFirstLine() throws {
        let missing = CLIRunner.fixture("missing.csv")
        let out = try CLIRunner.run(["drift", "--reference", missing, "--current", ref, "--format", "json"])
        #expect(out.stderr.contains("column 'a': 2 missing values (first on line 3)"), "\(out.stderr)")
    }

    @Test func thresholdsChangeTheVerdicts() throws {
        let strict = try CLIRunner.run([
            "drift", "--reference", ref, "--current", cur, "--format", "json", "--threshold", "psi=1000",
            "--threshold", "ks=0", "--threshold", "chi_square=0",
        ])
        #expect(strict.status == 0)
        #expect(try strict.object().object("dataset")?.int("drifted") == 0)
    }

    @Test func aCorrectionAdjustsThePValues() throws {
        let corrected = try CLIRunner.run([
            "drift", "--reference", ref, "--current", cur, "--format", "json", "--correction", "bonferroni",
        ])
        let test = try #require(try corrected.object().objects("columns")?.first?.objects("tests")?.first)
        #expect(test.string("correction") == "bonferroni")
        #expect(close(test.double("p_value_adjusted"), min(1, (test.double("p_value") ?? 0) * 2)))
    }
}
