import ArgumentParser
import DriftBatch
import DriftCore
import DriftStats

/// `driftwatch drift`: compares a reference table with a current one, column by column.
struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare a reference table with a current one (CSV or NDJSON, optionally gzipped).",
        discussion: """
            Default methods: ks + psi on numeric columns, chi_square + psi on categorical ones. A column \
            drifts when any of its tests does; the dataset drifts when the share of drifted columns reaches \
            --drift-share. Exit code: 0 no dataset drift, 1 dataset drift, 2 error.
            """)

    @Option(help: "The reference table (e.g. training data).")
    var reference: String

    @Option(help: "The current table (e.g. this week's traffic).")
    var current: String

    @Option(help: "Comma-separated columns to compare (default: every column the two files share).")
    var columns: String?

    @Option(help: "Comma-separated columns to treat as categorical (others: numeric when their values are numbers).")
    var categorical: String?

    @Option(
        help:
            "Comma-separated methods: ks, psi, chi_square, jensen_shannon, wasserstein, wasserstein_normed, hellinger.")
    var methods: String?

    @Option(help: "Binning for psi, jensen_shannon and hellinger: quantile, evidently or nannyml.")
    var binning: BinningMode = .quantile

    @Option(help: "Number of quantile bins (quantile binning only).")
    var bins: Int?

    @Option(
        name: .customLong("chi-square-form"),
        help: "contingency (scipy's chi2_contingency) or evidently (goodness of fit).")
    var chiSquareForm: ChiSquareForm = .contingency

    @Option(name: .customLong("js-base"), help: "Logarithm base of the Jensen–Shannon distance: 2 or e.")
    var jsBase: JensenShannon.Base = .e

    @Option(
        name: .customLong("ks-method"),
        help: "KS p-value: auto (exact up to 10,000 rows, as scipy), exact or asymptotic.")
    var ksMethod: KSMethod = .auto

    @Option(name: .customLong("threshold"), help: "METHOD=VALUE, replacing a method's default threshold (repeatable).")
    var thresholds: [String] = []

    @Option(help: "Multiple-testing correction of p-values across columns: none, bonferroni or bh.")
    var correction: PValueCorrectionMethod = .none

    @Option(name: .customLong("drift-share"), help: "Share of drifted columns at which the dataset has drifted.")
    var driftShare: Double = 0.5

    @Option(
        help: ArgumentHelp(
            "Label column of both files: adds the error analysis (with --prediction) to the json and html output.",
            valueName: "column"))
    var label: String?

    @Option(help: ArgumentHelp("Prediction column of both files (with --label).", valueName: "column"))
    var prediction: String?

    @Option(help: "Task for the error analysis: binary, multiclass or regression (default: inferred as metrics does).")
    var task: MetricsTask?

    @Option(help: "Output format: text, json or html.")
    var format: OutputFormat = .text

    @Option(help: "Write the output to this file instead of standard output.")
    var output: String?

    @Option(help: "Threads for reading and testing (default: all cores).")
    var threads: Int = 0

    func validate() throws {
        if let bins, bins < 2 { throw ValidationError("--bins must be at least 2") }
        if bins != nil && binning != .quantile {
            throw ValidationError(
                "--bins applies to --binning quantile only (\(binning.rawValue) chooses its own bins)")
        }
        if !(driftShare > 0 && driftShare <= 1) { throw ValidationError("--drift-share must be in (0, 1]") }
        _ = try parsedMethods()
        _ = try parsedThresholds()
        if (label == nil) != (prediction == nil) {
            throw ValidationError("--label and --prediction go together (the error analysis needs both columns)")
        }
        if task != nil && label == nil { throw ValidationError("--task applies to the error analysis (--label)") }
    }

    func parsedMethods() throws -> [DriftMethod]? {
        guard let methods else { return nil }
        return try methods.split(separator: ",").map { name in
            let trimmed = String(name).trimmedOfSpaces()
            guard let method = DriftMethod(rawValue: trimmed) else {
                throw ValidationError(
                    "unknown method '\(trimmed)' in --methods (known: \(DriftMethod.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            return method
        }
    }

    func parsedThresholds() throws -> [DriftMethod: Double] {
        var result: [DriftMethod: Double] = [:]
        for item in thresholds {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmedOfSpaces() }
            guard parts.count == 2, let method = DriftMethod(rawValue: parts[0]), let value = Double(parts[1]),
                value.isFinite
            else {
                throw ValidationError("--threshold expects METHOD=VALUE (e.g. psi=0.2), got '\(item)'")
            }
            result[method] = value
        }
        return result
    }

    func run() throws {
        MallocTuning.keepFreedMemory()
        var options = DriftOptions()
        options.methods = try parsedMethods()
        options.binning = binning
        options.bins = bins ?? 10
        options.chiSquareForm = chiSquareForm
        options.jensenShannonBase = jsBase
        options.ksMethod = ksMethod
        options.thresholds = try parsedThresholds()
        options.correction = correction
        options.datasetDriftShare = driftShare

        var job = TableComparison(
            referencePath: reference, currentPath: current, columns: columns.map(Self.list),
            categorical: Set(categorical.map(Self.list) ?? []), options: options, threads: threads)
        job.distributions = format == .html
        if let label, let prediction {
            job.errorAnalysis = DriftErrorAnalysis(label: label, prediction: prediction, task: task)
        }
        let result = try job.run()
        for warning in result.warnings { FileHandleOutput.standardError("warning: \(warning)\n") }
        let text: String
        switch format {
        case .text:
            text = DriftTextFormatter.format(result.comparison) + DriftTextFormatter.format(result.errorAnalysis)
        case .json: text = DriftJSONFormatter.format(result.comparison, errorAnalysis: result.errorAnalysis)
        case .html: text = DriftHTMLFormatter.format(result.report)
        }
        try OutputWriter.write(text, to: output)
        if result.comparison.dataset.drift { throw ExitCode(1) }
    }

    static func list(_ s: String) -> [String] {
        s.split(separator: ",").map { String($0).trimmedOfSpaces() }.filter { !$0.isEmpty }
    }
}

/// Output formats of the commands that print results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case html
}

extension BinningMode: ExpressibleByArgument {}
extension ChiSquareForm: ExpressibleByArgument {}
extension JensenShannon.Base: ExpressibleByArgument {}
extension KSMethod: ExpressibleByArgument {}
extension PValueCorrectionMethod: ExpressibleByArgument {}

extension String {
    func trimmedOfSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
