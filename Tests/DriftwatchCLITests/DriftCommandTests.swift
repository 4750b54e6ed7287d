import DriftCore
import DriftReport
import DriftTables
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
        let json = out.json
        #expect(dig(json, "reference", "rows") as? Int == 4)
        #expect(dig(json, "current", "rows") as? Int == 3)
        let columns = json["columns"] as? [[String: Any]] ?? []
        #expect(columns.map { $0["name"] as? String } == ["a", "b", "c"])
        #expect(columns.map { $0["type"] as? String } == ["numeric", "categorical", "numeric"])
        let methods = (columns[0]["tests"] as? [[String: Any]])?.map { $0["method"] as? String }
        #expect(methods == ["ks", "psi"])
        let categoricalMethods = (columns[1]["tests"] as? [[String: Any]])?.map { $0["method"] as? String }
        #expect(categoricalMethods == ["chi_square", "psi"])
        #expect(dig(json, "dataset", "columns") as? Int == 3)
        let drift = dig(json, "dataset", "drift") as? Bool
        #expect(out.status == (drift == true ? 1 : 0))
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
        let expected =
            (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/expected.json"))))
        let tests = dig(out.json, "columns", 0, "tests") as? [[String: Any]] ?? []
        #expect(tests.count == 3)
        #expect(
            close(
                number(tests.first?["statistic"]),
                number(dig(expected, "columns", "x", "ks_2samp", "auto", "statistic"))))
        #expect(
            close(
                number(tests.first?["p_value"]), number(dig(expected, "columns", "x", "ks_2samp", "auto", "pvalue")),
                relative: 1e-9))
        #expect(
            close(
                number(tests[1]["statistic"]),
                number(dig(expected, "columns", "x", "wasserstein", "evidently_normed", "value"))))
        #expect(close(number(tests[2]["statistic"]), number(dig(expected, "columns", "x", "psi_decile", "value"))))
    }

    @Test func goldenChiSquareAndEvidentlyFormsThroughTheCommandLine() throws {
        let dir = CLIRunner.fixture("golden/cat_missing_category")
        let expected =
            (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/expected.json"))))
        let cases: [(String, Any?)] = [
            ("contingency", dig(expected, "columns", "c", "chi2_contingency", "default")),
            ("evidently", dig(expected, "columns", "c", "evidently_chisquare")),
        ]
        for (form, truth) in cases {
            let out = try CLIRunner.run([
                "drift", "--reference", dir + "/reference.csv", "--current", dir + "/current.csv", "--format", "json",
                "--methods", "chi_square", "--chi-square-form", form,
            ])
            let test = dig(out.json, "columns", 0, "tests", 0)
            #expect(close(number(dig(test, "statistic")), number(dig(truth, "statistic"))), "\(form)")
            #expect(close(number(dig(test, "p_value")), number(dig(truth, "pvalue")), relative: 1e-9), "\(form)")
            #expect(dig(test, "form") as? String == form)
        }
    }

    @Test func textAndHTMLOutputs() throws {
        let text = try CLIRunner.run(["drift", "--reference", ref, "--current", cur])
        #expect(text.stdout.contains("dataset:"))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dw-report-\(UUID()).html").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let html = try CLIRunner.run([
            "drift", "--reference", ref, "--current", cur, "--format", "html", "--output", output,
        ])
        #expect(html.status == 0 || html.status == 1)
        let page = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(page.lowercased().hasPrefix("<!doctype html>"))
        #expect(!page.contains("<script"))
        #expect(page.contains("<svg"))  // each column's reference vs current distribution
        #expect(page.contains("Columns"))
        // Every statistic the JSON output gives is the one the page prints.
        let json = try CLIRunner.run(["drift", "--reference", ref, "--current", cur, "--format", "json"])
        guard case .array(let columns)? = (try? JSONValue.parse(json.stdout))?["columns"] else {
            Issue.record("no columns")
            return
        }
        for column in columns {
            guard case .array(let tests)? = column["tests"] else { continue }
            for test in tests {
                guard case .number(let statistic)? = test["statistic"] else { continue }
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

    @Test func byteOrderMarkAndQuotedCommas() throws {
        let bom = CLIRunner.fixture("bom.csv")
        let out = try CLIRunner.run(["drift", "--reference", bom, "--current", bom, "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(dig(out.json, "columns", 0, "name") as? String == "a")
    }

    @Test func missingValuesAreCountedAndReported() throws {
        let missing = CLIRunner.fixture("missing.csv")
        let out = try CLIRunner.run(["drift", "--reference", missing, "--current", ref, "--format", "json"])
        #expect(out.status == 0 || out.status == 1, "\(out.stderr)")
        #expect(dig(out.json, "columns", 0, "missing", "reference") as? Int == 2)
        #expect(dig(out.json, "columns", 1, "missing", "reference") as? Int == 1)
        #expect(out.stderr.contains("column 'a': 2 missing values (first on line 3)"), "\(out.stderr)")
    }

    @Test func thresholdsAndCorrectionChangeVerdicts() throws {
        let strict = try CLIRunner.run([
            "drift", "--reference", ref, "--current", cur, "--format", "json", "--threshold", "psi=1000",
            "--threshold", "ks=0", "--threshold", "chi_square=0",
        ])
        #expect(strict.status == 0)
        #expect(dig(strict.json, "dataset", "drifted") as? Int == 0)
        let corrected = try CLIRunner.run([
            "drift", "--reference", ref, "--current", cur, "--format", "json", "--correction", "bonferroni",
        ])
        let test = dig(corrected.json, "columns", 0, "tests", 0)
        #expect(dig(test, "correction") as? String == "bonferroni")
        #expect(close(number(dig(test, "p_value_adjusted")), min(1, (number(dig(test, "p_value")) ?? 0) * 2)))
    }
}
