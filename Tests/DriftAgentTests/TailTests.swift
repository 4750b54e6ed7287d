import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import Logging
import PostgresDriver
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Following JSON-lines logs against a real PostgreSQL: rotation mid-write (rename and copytruncate, with
/// a partial line at the moment of rotation), restarts, two agents on one file, bad lines, BentoML's
/// monitoring log layout. Every wait is on a condition with a deadline.
@Suite struct TailTests {
    /// 2026-11-23T08:00:00Z.
    static let eight: Int64 = 1_795_420_800_000_000

    static func yaml(_ tail: String, features: String = "{x: numeric, c: categorical}") -> String {
        """
        auth: {enabled: false}
        defaults:
          retention: 36500d  # fixed-date events stay within retention
          window: 1h
          allowed_lateness: 1d
        models:
          m:
            task: binary
            features: \(features)
            tail:
        \(tail)
        """
    }

    static func line(_ i: Int) -> String {
        let time = RFC3339.text(microseconds: eight + Int64(i) * 1000)
        return #"{"id":"e\#(i)","timestamp":"\#(time)","features":{"x":\#(Double(i) / 10),"c":"c\#(i % 3)"},"#
            + #""prediction":"\#(i % 2)","score":0.\#(i % 10)}"# + "\n"
    }

    func environment(_ yaml: String, url: String, logger: Logger? = nil) async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 3)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
    }

    /// Runs a tail service (a pass every `interval`) until the returned task is cancelled.
    func start(
        _ environment: AgentEnvironment, logger: Logger = Logger(label: "test.tail"),
        interval: Duration = .milliseconds(50)
    ) -> Task<Void, any Error> {
        let service = TailService(
            environment: environment, logger: logger, interval: interval, graceIdlePasses: 40)
        return Task { try await service.run() }
    }

    /// The stored prediction ids of model `m`.
    func storedIDs(_ environment: AgentEnvironment) async throws -> [String] {
        try await environment.pool.withConnection(purpose: "read") { c in
            guard let id = try ModelStore.find(name: "m", on: c)?.id else { return [] }
            return try c.query(
                "SELECT prediction_id FROM predictions WHERE model_id = $1", [.int(Int(id))], purpose: "read"
            ).rows.compactMap { $0[0] }
        }
    }

    /// Polls `condition` every 50 ms until it holds, at most `polls` times (90 s when the host keeps up);
    /// whether it held. The bound counts polls, not wall-clock time: while the whole test run keeps the
    /// cooperative pool busy, neither the tailer nor this loop runs, and no poll is used up.
    func eventually(polls: Int = 1_800, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<polls {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// A metric's value from the exposition (0 when absent).
    static func metric(_ environment: AgentEnvironment, _ name: String, _ labels: String) -> Double {
        let prefix = "\(name){\(labels)} "
        for line in environment.metrics.registry.emitToString().split(separator: "\n")
        where line.hasPrefix(prefix) {
            return Double(line.dropFirst(prefix.count)) ?? 0
        }
        return 0
    }

    static func ingested(_ environment: AgentEnvironment, kind: String = "predictions") -> Int {
        Int(metric(environment, "driftwatch_tail_lines_total", #"model="m",kind="\#(kind)",outcome="ingested""#))
    }

    static func rejected(_ environment: AgentEnvironment, kind: String = "predictions") -> Int {
        Int(metric(environment, "driftwatch_tail_lines_total", #"model="m",kind="\#(kind)",outcome="rejected""#))
    }

    static func directory(_ name: String) throws -> String {
        let path = "/tmp/driftwatch-tail-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `body` on a thread of its own (a log writer) and waits for it.
    static func onThread(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                body()
                continuation.resume()
            }.start()
        }
    }

    /// Appends bytes to a descriptor (the writer side of a model server's log).
    static func write(_ fd: Int32, _ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { Glibc.write(fd, $0 + done, raw.count - done) } ?? -1
            }
            if n <= 0 { return }
            done += n
        }
    }

    static func append(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644) }

    /// The same writer against a tailer that keeps up (a pass every 50 ms) and against slow ones (passes a
    /// second or three apart: the rotations, or all of them, fall between two passes, as on a loaded host).
    @Test(arguments: [50, 1000, 3000])
    func rotationMidWriteIngestsEveryCompleteLineOnce(passEveryMilliseconds: Int) async throws {
        let dir = try Self.directory("rotate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let environment = try await environment(
            Self.yaml("      - \(dir)/*.jsonl"), url: try TestCluster.createDatabase(prefix: "tail_rotate"))
        let tailer = start(environment, interval: .milliseconds(passEveryMilliseconds))
        let total = 6000
        let renameAt = 2000
        let copyTruncateAt = 4000
        let secondCopyTruncateAt = 5000
        let path = "\(dir)/app.jsonl"
        // The tailer is running before the burst: the first line is ingested first. (Rotated files older
        // than the tailer are history it does not read; on a loaded machine the writer could otherwise be
        // done before the tailer's first pass.)
        let first = Self.append(path)
        Self.write(first, Self.line(0))
        close(first)
        #expect(try await eventually { try await storedIDs(environment).count == 1 })
        await Self.onThread {
            var fd = Self.append(path)
            for i in 1..<total {
                let line = Self.line(i)
                let half = line.index(line.startIndex, offsetBy: line.count / 2)
                if i == renameAt {
                    // Rotation by rename: half a line written, the file renamed, the writer finishes the line
                    // in the renamed file and only then opens a new one.
                    Self.write(fd, line[..<half])
                    rename(path, path + ".1")
                    usleep(100_000)
                    Self.write(fd, line[half...])
                    close(fd)
                    fd = Self.append(path)
                } else if i == secondCopyTruncateAt {
                    // copytruncate right after a burst the tailer has not read yet: those lines are only in
                    // the copy. The line itself is written whole after the truncation.
                    for j in 0..<300 { Self.write(fd, Self.line(total + j)) }
                    if let content = FileManager.default.contents(atPath: path) {
                        _ = FileManager.default.createFile(atPath: path + ".3", contents: content)
                    }
                    truncate(path, 0)
                    Self.write(fd, line)
                } else if i == copyTruncateAt {
                    // copytruncate: half a line written, the file copied and truncated, the writer goes on in
                    // the truncated file (so the line's second half starts the new content: a bad line). The
                    // pause lets a tailer that keeps up catch up first, so the copy holds nothing complete
                    // that is new (a slow one reads the copy from where it was, or from its start).
                    usleep(300_000)
                    Self.write(fd, line[..<half])
                    if let content = FileManager.default.contents(atPath: path) {
                        _ = FileManager.default.createFile(atPath: path + ".2", contents: content)
                    }
                    truncate(path, 0)
                    Self.write(fd, line[half...])
                } else {
                    Self.write(fd, line)
                }
                if i % 50 == 0 { usleep(5000) }
            }
            close(fd)
        }
        // Every line complete in some file, except the one copytruncate split.
        let expected = Set(((0..<total).filter { $0 != copyTruncateAt } + (total..<total + 300)).map { "e\($0)" })
        let done = try await eventually {
            let stored = try await storedIDs(environment).count
            return Self.ingested(environment) + Self.rejected(environment) >= expected.count + 1
                && stored >= expected.count
        }
        tailer.cancel()
        _ = try? await tailer.value
        #expect(done)
        let stored = try await storedIDs(environment)
        #expect(stored.count == expected.count)
        #expect(Set(stored) == expected)
        #expect(Self.ingested(environment) == expected.count, "each line ingested once")
        #expect(Self.rejected(environment) == 1, "the line split by copytruncate")
        await environment.pool.close()
    }

    /// Copies a file and truncates it, as logrotate's copytruncate does.
    static func copyTruncate(_ path: String, to copy: String) {
        if let content = FileManager.default.contents(atPath: path) {
            _ = FileManager.default.createFile(atPath: copy, contents: content)
        }
        truncate(path, 0)
    }

    /// Several rotations between two passes, deterministically: the tailer (a pass every 2 s) has stored
    /// the first lines, then within a few milliseconds the file is copytruncated twice (each time with
    /// lines it never saw) and written again to exactly the length it had — or renamed away, replaced, and
    /// the replacement copytruncated. Every line is stored once and the tailer goes on with the file.
    @Test(arguments: [false, true])
    func severalRotationsBetweenTwoPassesLoseNothing(renameFirst: Bool) async throws {
        let dir = try Self.directory("between")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let environment = try await environment(
            Self.yaml("      - \(dir)/*.jsonl"), url: try TestCluster.createDatabase(prefix: "tail_between"))
        let path = "\(dir)/app.jsonl"
        // Lines 1000…9999 are all as long as each other.
        var fd = Self.append(path)
        Self.write(fd, (1000..<2000).map(Self.line).joined())
        let tailer = start(environment, interval: .seconds(2))
        #expect(try await eventually { Self.ingested(environment) == 1000 })
        Self.write(fd, (2000..<2100).map(Self.line).joined())
        if renameFirst {
            rename(path, path + ".1")
            close(fd)
            fd = Self.append(path)
        } else {
            Self.copyTruncate(path, to: path + ".1")
        }
        Self.write(fd, (2100..<2200).map(Self.line).joined())
        Self.copyTruncate(path, to: path + ".2")
        Self.write(fd, (3000..<4000).map(Self.line).joined())
        let expected = Set(((1000..<2200).map { $0 } + (3000..<4000)).map { "e\($0)" })
        #expect(try await eventually { try await storedIDs(environment).count >= expected.count })
        // And it goes on with the file.
        Self.write(fd, Self.line(4000))
        close(fd)
        let done = try await eventually { Self.ingested(environment) >= expected.count + 1 }
        try await Task.sleep(for: .milliseconds(500))
        tailer.cancel()
        _ = try? await tailer.value
        #expect(done)
        let stored = try await storedIDs(environment)
        #expect(stored.count == expected.count + 1)
        #expect(Set(stored) == expected.union(["e4000"]))
        #expect(Self.ingested(environment) == expected.count + 1, "each line ingested once")
        #expect(Self.rejected(environment) == 0)
        await environment.pool.close()
    }

    @Test func aRestartedTailerContinuesWhereItLeftOff() async throws {
        let dir = try Self.directory("restart")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let url = try TestCluster.createDatabase(prefix: "tail_restart")
        let yaml = Self.yaml("      - {path: \(dir)/predictions.jsonl, kind: predictions}")
        let path = "\(dir)/predictions.jsonl"
        let total = 20_000
        let fd = Self.append(path)
        Self.write(fd, (0..<total / 2).map(Self.line).joined())

        let first = try await environment(yaml, url: url)
        let a = start(first)
        #expect(try await eventually { Self.ingested(first) == total / 2 })
        a.cancel()
        _ = try? await a.value
        await first.pool.close()

        // Written while no agent runs, ending in a partial line.
        Self.write(fd, (total / 2..<total).map(Self.line).joined())
        let partial = Self.line(total)
        Self.write(fd, partial.prefix(30))
        let second = try await environment(yaml, url: url)
        let b = start(second)
        #expect(try await eventually { try await storedIDs(second).count == total })
        try await Task.sleep(for: .milliseconds(200))
        // The partial last line waits until it is complete.
        #expect(try await storedIDs(second).count == total)
        Self.write(fd, partial.dropFirst(30))
        close(fd)
        #expect(try await eventually { try await storedIDs(second).count == total + 1 })
        b.cancel()
        _ = try? await b.value
        #expect(Self.ingested(first) == total / 2)
        #expect(Self.ingested(second) == total / 2 + 1, "the restarted tailer read only what was new")
        let offset = try await second.pool.withConnection(purpose: "read") { c in
            try c.query("SELECT byte_offset, line_number FROM tail_offsets", purpose: "read").rows
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
        #expect(offset == [[String(size), String(total + 1)]])
        await second.pool.close()
    }

    @Test func twoAgentsFollowingOneFileStoreEachLineOnce() async throws {
        let dir = try Self.directory("two")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let url = try TestCluster.createDatabase(prefix: "tail_two")
        let yaml = Self.yaml("      - \(dir)/*.jsonl")
        let one = try await environment(yaml, url: url)
        let two = try await environment(yaml, url: url)
        let (a, b) = (start(one), start(two))
        let total = 12_000
        let path = "\(dir)/app.jsonl"
        await Self.onThread {
            let fd = Self.append(path)
            for i in 0..<total {
                Self.write(fd, Self.line(i))
                if i % 200 == 0 { usleep(5000) }
            }
            close(fd)
        }
        #expect(try await eventually { Self.ingested(one) + Self.ingested(two) >= total })
        try await Task.sleep(for: .milliseconds(300))
        a.cancel()
        b.cancel()
        _ = try? await a.value
        _ = try? await b.value
        #expect(Self.ingested(one) + Self.ingested(two) == total)
        #expect(try await storedIDs(one).count == total)
        await one.pool.close()
        await two.pool.close()
    }

    /// What following a file of `lines` stored and skipped: the stored ids, and the skipped lines' places
    /// and fields as logged.
    func followed(
        _ lines: [String], name: String, stored: Int, skipped: Int
    ) async throws -> (
        ids: Set<String>, files: [String?], fields: [String?], path: String
    ) {
        let dir = try Self.directory(name)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/p.jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: Data(lines.joined().utf8))
        let records = LogRecords()
        let logger = Logger(label: "test.tail") { _ in RecordingLogHandler(records: records) }
        let environment = try await environment(
            Self.yaml("      - \(path)"), url: try TestCluster.createDatabase(prefix: "tail_\(name)"))
        let tailer = start(environment, logger: logger)
        let done = try await eventually {
            Self.ingested(environment) == stored && Self.rejected(environment) == skipped
        }
        tailer.cancel()
        _ = try? await tailer.value
        #expect(done)
        let ids = Set(try await storedIDs(environment))
        await environment.pool.close()
        let logged = records.all.filter { $0.message == "skipped a bad line of a followed log file" }
        return (ids, logged.map { $0.metadata["file"] }, logged.map { $0.metadata["field"] }, path)
    }

    @Test func badLinesOfAFollowedFileAreSkippedWithTheirLineNumber() async throws {
        let lines = [
            Self.line(1),
            "{not json\n",
            Self.line(2),
            #"{"id":"e3","timestamp":"2026-11-23T08:00:00Z","features":{"x":"high"}}"# + "\n",
            "\n",
            #"{"timestamp":"2026-11-23T08:00:00Z"}"# + "\n",
            Self.line(4),
        ]
        let result = try await followed(lines, name: "bad", stored: 3, skipped: 3)
        #expect(result.ids == ["e1", "e2", "e4"])
        #expect(result.files == ["\(result.path):2", "\(result.path):4", "\(result.path):6"])
        #expect(result.fields == ["-", "features.x", "id"])
    }

    @Test func linesTheDatabaseCannotHoldOrOutOfTimeBoundsAreSkipped() async throws {
        let lines = [
            Self.line(1),
            #"{"id":"n\u0000","timestamp":"2026-11-23T08:00:00Z","features":{"x":1}}"# + "\n",
            #"{"id":"y0","timestamp":"0000-01-01T00:30:00+01:00","features":{"x":1}}"# + "\n",
            #"{"id":"far","timestamp":"9999-12-31T00:00:00Z","features":{"x":1}}"# + "\n",
            Self.line(2),
        ]
        let result = try await followed(lines, name: "hostile", stored: 2, skipped: 3)
        #expect(result.ids == ["e1", "e2"])
        #expect(result.files == ["\(result.path):2", "\(result.path):3", "\(result.path):4"])
        #expect(result.fields == ["id", "timestamp", "timestamp"])
    }

    @Test func theBentoMLPresetReadsAMonitorsLog() async throws {
        let dir = try Self.directory("bento")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let monitor = "\(dir)/monitoring/iris_classifier_prediction"
        try FileManager.default.createDirectory(atPath: monitor + "/schema", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: monitor + "/data", withIntermediateDirectories: true)
        let schema = """
            {"meta_data": {"bento_name": "iris_classifier", "bento_version": "6aqnksdbuouf2usu"}, "columns": [\
            {"name": "sepal_length", "role": "feature", "type": "numerical"}, \
            {"name": "petal_width", "role": "feature", "type": "numerical"}, \
            {"name": "pred", "role": "prediction", "type": "categorical"}, \
            {"name": "species", "role": "target", "type": "categorical"}]}

            """
        _ = FileManager.default.createFile(atPath: monitor + "/schema/schema.0.log", contents: Data(schema.utf8))
        func record(_ i: Int, worker: Int) -> String {
            let pred = ["setosa", "versicolor", "virginica"][i % 3]
            return #"{"sepal_length": \#(4.5 + Double(i) / 10), "petal_width": \#(0.1 * Double(i % 20)), "#
                + #""pred": "\#(pred)", "species": "\#(pred)", "timestamp": "2022-11-09T15:31:26.\#(100_000 + i)", "#
                + #""request_id": "\#(worker)\#(10_000_000 + i)", "trace_id": "0"}"# + "\n"
        }
        let data0 = (0..<30).map { record($0, worker: 0) }.joined()
        let data1 = (0..<20).map { record($0, worker: 1) }.joined()
        _ = FileManager.default.createFile(atPath: monitor + "/data/data.0.log", contents: Data(data0.utf8))
        _ = FileManager.default.createFile(atPath: monitor + "/data/data.1.log", contents: Data(data1.utf8))
        let yaml = """
            auth: {enabled: false}
            defaults: {retention: 36500d, window: 1h, allowed_lateness: 1d}
            models:
              m:
                task: multiclass
                features: {sepal_length: numeric, petal_width: numeric}
                tail:
                  - {path: \(monitor), format: bentoml}
                  - {path: \(monitor), format: bentoml, kind: labels}
            """
        let environment = try await environment(yaml, url: try TestCluster.createDatabase(prefix: "tail_bento"))
        let tailer = start(environment)
        let done = try await eventually {
            Self.ingested(environment) == 50 && Self.ingested(environment, kind: "labels") == 50
        }
        tailer.cancel()
        _ = try? await tailer.value
        #expect(done)
        #expect(Self.rejected(environment) == 0)
        let rows = try await environment.pool.withConnection(purpose: "read") { c in
            try c.query(
                """
                SELECT p.prediction_id, p.event_time = '2022-11-09T15:31:26.100007Z'::timestamptz,
                       p.numeric_features::text, p.prediction, l.label
                FROM predictions p JOIN labels l USING (model_id, prediction_id)
                WHERE p.prediction_id = '010000007'
                """, purpose: "read"
            ).rows
        }
        #expect(rows == [["010000007", "t", "{5.2,0.7000000000000001}", "versicolor", "versicolor"]])
        #expect(try await storedIDs(environment).count == 50)
        await environment.pool.close()
    }
}

/// Log records kept for a test to look at.
final class LogRecords: Sendable {
    struct Record: Sendable {
        let message: String
        let metadata: [String: String]
    }
    private let records = Mutex<[Record]>([])
    func append(_ r: Record) { records.withLock { $0.append(r) } }
    var all: [Record] { records.withLock { $0 } }
}

/// A log handler that keeps every record in `LogRecords`.
struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var flat: [String: String] = [:]
        for (k, v) in event.metadata ?? [:] { flat[k] = "\(v)" }
        records.append(.init(message: "\(event.message)", metadata: flat))
    }
}
