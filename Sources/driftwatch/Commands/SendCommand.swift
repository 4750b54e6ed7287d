import ArgumentParser
import DriftCore
import DriftSystem
import DriftTables
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `driftwatch send`: streams a prediction log (or labels) from a file to a running agent, in batches,
/// with progress on standard error and a final summary; rejected rows are named by their line in the file.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send predictions (or labels, with --labels) from a CSV or NDJSON file to a running agent.",
        discussion: """
            NDJSON lines are sent as they are. CSV rows become events: the id, timestamp, prediction, score and \
            latency columns are named by options, every other column is a feature (numbers stay numbers). \
            Timestamps without a zone are taken as UTC. Exit code 0 when every row was accepted, 1 when some \
            were rejected, 2 on errors.
            """)

    @Option(help: "The agent's base URL.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "The model the events belong to.")
    var model: String

    @Option(help: "The file (CSV or NDJSON, optionally gzipped).")
    var file: String

    @Flag(help: "Send ground-truth labels instead of predictions.")
    var labels = false

    @Option(help: "Bearer token (default: $DRIFTWATCH_TOKEN).")
    var token: String?

    @Option(help: "Rows per request.")
    var batch = 10_000

    @Option(name: .customLong("id-column"), help: "CSV column with the prediction id.")
    var idColumn = "id"
    @Option(name: .customLong("timestamp-column"), help: "CSV column with the event time.")
    var timestampColumn = "timestamp"
    @Option(name: .customLong("prediction-column"), help: "CSV column with the prediction.")
    var predictionColumn = "prediction"
    @Option(name: .customLong("score-column"), help: "CSV column with the score.")
    var scoreColumn = "score"
    @Option(name: .customLong("latency-column"), help: "CSV column with the latency in milliseconds.")
    var latencyColumn = "latency_ms"
    @Option(name: .customLong("label-column"), help: "CSV column with the label (--labels).")
    var labelColumn = "label"

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if URL(string: url)?.host == nil {
            throw ValidationError("--url must be an absolute URL, e.g. http://127.0.0.1:8080")
        }
    }

    func run() async throws {
        let command = self
        let lines = try await BlockingExecutor.shared.run { try EventLines.build(command: command) }
        let bearer = token ?? ProcessInfo.processInfo.environment["DRIFTWATCH_TOKEN"]
        let kind = labels ? "labels" : "predictions"
        guard let endpoint = URL(string: "\(url)/v1/models/\(model)/\(kind)") else {
            throw ValidationError("cannot build a URL from --url and --model")
        }
        var accepted = 0
        var duplicates = 0
        var rejected: [(line: Int, field: String?, message: String)] = []
        var rejectedCount = 0
        let start = Date()
        var sent = 0
        while sent < lines.count {
            let slice = lines[sent..<min(sent + batch, lines.count)]
            var request = URLRequest(url: endpoint)
            request.httpMethod = "POST"
            request.timeoutInterval = 300
            request.setValue("application/x-ndjson", forHTTPHeaderField: "Content-Type")
            if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
            request.httpBody = Data(slice.map(\.text).joined(separator: "\n").utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let reply = (try? JSONValue.parse(String(decoding: data, as: UTF8.self))) ?? .null
            guard status == 200 else {
                let message: String
                if case .string(let m)? = reply["error"]?["message"] { message = m } else { message = "HTTP \(status)" }
                FileHandleOutput.standardError(
                    "driftwatch: the agent refused the batch at line \(slice.first?.line ?? 0): \(message)\n")
                throw ExitCode(2)
            }
            accepted = accepted.addingSaturating(Self.count(reply["accepted"]))
            duplicates = duplicates.addingSaturating(Self.count(reply["duplicates"]))
            rejectedCount = rejectedCount.addingSaturating(Self.count(reply["rejected_count"]))
            if case .array(let items)? = reply["rejected"] {
                for item in items {
                    let l = Self.count(item["line"])
                    guard l >= 1, l <= slice.count else { continue }
                    let fileLine = slice[slice.startIndex + l - 1].line
                    var field: String?
                    if case .string(let f)? = item["field"] { field = f }
                    var message = ""
                    if case .string(let m)? = item["message"] { message = m }
                    rejected.append((fileLine, field, message))
                }
            }
            sent += slice.count
            let rate = Double(sent) / max(Date().timeIntervalSince(start), 1e-6)
            FileHandleOutput.standardError("sent \(sent) of \(lines.count) \(kind) (\(Int(rate)) per second)\n")
        }
        var summary = "\(file): \(accepted) accepted"
        if !labels { summary += ", \(duplicates) already stored" }
        summary += ", \(rejectedCount) rejected\n"
        for r in rejected.prefix(20) {
            summary += "  \(file):\(r.line): \(r.field.map { "\($0): " } ?? "")\(r.message)\n"
        }
        FileHandleOutput.standardOutput(summary)
        if rejectedCount > 0 { throw ExitCode(1) }
    }
}

extension SendCommand {
    /// A count in the agent's reply: a whole number from 0 to `Int.max`, else 0 (a reply is a peer's input).
    static func count(_ value: JSONValue?) -> Int {
        guard case .number(let n)? = value, n >= 0, n.rounded() == n, let whole = Int(exactly: n) else { return 0 }
        return whole
    }
}

/// The file's rows as NDJSON lines for the agent, each with its line number in the file.
enum EventLines {
    struct Line {
        let line: Int
        let text: String
    }

    static func build(command c: SendCommand) throws -> [Line] {
        if TableLoader.isNDJSON(c.file) {
            let bytes = try FileBytes.read(c.file)
            return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().compactMap { i, text in
                    text.allSatisfy(\.isWhitespace) ? nil : Line(line: i + 1, text: String(text))
                }
        }
        var options = TableReadOptions()
        options.categorical = [c.idColumn, c.timestampColumn, c.predictionColumn]
        let table = try TableLoader.load(c.file, options: options)
        guard let ids = table.column(c.idColumn)?.strings else {
            throw TableError(
                .unknownColumn, file: c.file, line: 1, column: c.idColumn, "the id column is missing (--id-column)")
        }
        let times = table.column(c.timestampColumn)?.strings
        if !c.labels && times == nil {
            throw TableError(
                .unknownColumn, file: c.file, line: 1, column: c.timestampColumn,
                "the timestamp column is missing (--timestamp-column)")
        }
        let special: Set<String> = [
            c.idColumn, c.timestampColumn, c.predictionColumn, c.scoreColumn, c.latencyColumn, c.labelColumn,
        ]
        let features = zip(table.columnNames, table.columns).filter { !special.contains($0.0) }
        var lines: [Line] = []
        lines.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            var w = JSONWriter(pretty: false)
            w.beginObject()
            w.string("id", ids[row])
            if let stamp = times?[row] { w.string("timestamp", withZone(stamp)) }
            if c.labels {
                if let column = table.column(c.labelColumn) { cell(column, row, key: "label", &w) }
            } else {
                w.beginObject("features")
                for (name, column) in features { cell(column, row, key: name, &w) }
                w.endObject()
                for (key, name) in [
                    ("prediction", c.predictionColumn), ("score", c.scoreColumn), ("latency_ms", c.latencyColumn),
                ] {
                    if let column = table.column(name) { cell(column, row, key: key, &w) }
                }
            }
            w.endObject()
            // A CSV row's line: the header is line 1 (quoted newlines would shift it; rare in logs).
            lines.append(Line(line: row + 2, text: w.text))
        }
        return lines
    }

    static func cell(_ column: TableColumn, _ row: Int, key: String, _ w: inout JSONWriter) {
        switch column {
        case .numeric(let values, _, _):
            if values[row].isNaN { w.null(key) } else { w.number(key, values[row]) }
        case .categorical(let codes, let categories, _, _):
            if codes[row] < 0 { w.null(key) } else { w.string(key, categories[Int(codes[row])]) }
        }
    }

    /// `2018-01-01 00:00:00.000` → `2018-01-01 00:00:00.000Z`: a time without a zone is UTC.
    static func withZone(_ stamp: String) -> String {
        guard let last = stamp.last else { return stamp }
        if last == "Z" || last == "z" { return stamp }
        let tail = stamp.suffix(6)
        if tail.count == 6, tail.first == "+" || tail.first == "-", tail.dropFirst(3).first == ":" { return stamp }
        return stamp + "Z"
    }
}
