import ArgumentParser
import DriftStats
import DriftStore
import DriftSystem
import EmbeddedCluster
import PostgresDriver

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch bench store`: writes prediction rows with 20 numeric features through the store's COPY
/// path into a fresh embedded cluster and compares the rate with `psql`'s `\copy` of the same rows
/// from a file into the same table.
struct StoreBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Benchmark the store's COPY path against psql's \\copy (embedded cluster in a temporary directory).")

    @Option(help: "Rows to write.")
    var rows = 1_000_000

    @Option(help: "Rows per insert batch (one COPY + INSERT … ON CONFLICT per batch).")
    var batch = 50_000

    @Option(help: "State directory for the benchmark's cluster (removed afterwards unless --keep).")
    var stateDir = "/tmp/driftwatch-bench-store"

    @Flag(help: "Keep the cluster and the data file.")
    var keep = false

    func run() throws {
        let cluster = EmbeddedPostgres(stateDirectory: stateDir)
        let url = try cluster.start()
        defer {
            if !keep {
                try? cluster.stop()
                _ = try? ChildProcess.run(["rm", "-rf", stateDir])
            }
        }
        let connection = try PostgresConnection(configuration: PostgresConfiguration(url: url))
        let modelID = try Self.prepareModel(on: connection)

        let records = Self.records(count: rows)
        print("driftwatch bench store: \(rows) rows × 20 numeric features, batches of \(batch)")
        let storeSeconds = try timeStorePath(records, modelID: modelID, on: connection)
        let copySeconds = try timePsqlCopy(records, modelID: modelID, on: connection, url: url)

        let storeRate = Double(rows) / storeSeconds
        let copyRate = Double(rows) / copySeconds
        print(
            String(
                format: "  store path (lookup + binary COPY)               %7.2f s  %9.0f rows/s", storeSeconds,
                storeRate))
        print(
            String(
                format: "  psql \\copy into the same table                  %7.2f s  %9.0f rows/s", copySeconds,
                copyRate))
        print(
            String(
                format: "  ratio store / \\copy                             %7.2f   (target ≥ 0.70)",
                storeRate / copyRate))
    }

    /// Migrates the database, creates the `bench` model, empties its predictions and returns its id.
    static func prepareModel(on connection: PostgresConnection) throws -> Int64 {
        try MigrationRunner().apply(on: connection)
        try connection.query(
            "INSERT INTO models (name, task) VALUES ('bench', 'binary') ON CONFLICT (name) DO NOTHING", purpose: "bench"
        )
        let modelID =
            try connection.query("SELECT model_id FROM models WHERE name = 'bench'", purpose: "bench")
            .scalar(Int64.self, purpose: "bench") ?? 1
        try connection.query("DELETE FROM predictions WHERE model_id = $1", [.int(Int(modelID))], purpose: "bench")
        return modelID
    }

    /// 1. The store's path: seconds to insert `records` in batches; throws unless every row was new.
    func timeStorePath(
        _ records: [PredictionRecord], modelID: Int64, on connection: PostgresConnection
    ) throws
        -> Double
    {
        try connection.execute(script: "CHECKPOINT", purpose: "bench")
        let start = monotonicSeconds()
        var inserted = 0
        var i = 0
        while i < records.count {
            let slice = Array(records[i..<min(i + batch, records.count)])
            inserted += try PredictionStore.insert(slice, modelID: modelID, on: connection)
            i += batch
        }
        let storeSeconds = monotonicSeconds() - start
        guard inserted == rows else { throw ValidationError("only \(inserted) of \(rows) rows were new") }
        return storeSeconds
    }

    /// 2. Seconds of psql's `\copy` of the same rows (same text format) into the same, emptied table.
    func timePsqlCopy(
        _ records: [PredictionRecord], modelID: Int64, on connection: PostgresConnection, url: String
    ) throws -> Double {
        let file = stateDir + "/rows.copy"
        try Self.writeCopyFile(records, modelID: modelID, to: file)
        try connection.query("DELETE FROM predictions WHERE model_id = $1", [.int(Int(modelID))], purpose: "bench")
        try connection.execute(script: "VACUUM predictions", purpose: "bench")
        try connection.execute(script: "CHECKPOINT", purpose: "bench")
        let copyStart = monotonicSeconds()
        let psql = try ChildProcess.run(
            [
                "psql", url, "-v", "ON_ERROR_STOP=1", "-c",
                "\\copy predictions (model_id, prediction_id, event_time, numeric_features, category_features, "
                    + "prediction, score, scores, latency_ms, model_version) from '\(file)'",
            ], captureOutput: true)
        let copySeconds = monotonicSeconds() - copyStart
        guard psql.status == 0 else { throw ValidationError("psql \\copy failed: \(psql.output)") }
        return copySeconds
    }

    /// Seeded rows spread over 10 days: 20 numeric features, one category, a prediction and a score.
    static func records(count: Int) -> [PredictionRecord] {
        var rng = SplitMix64(seed: 42)
        let start: Int64 = 1_763_856_000_000_000
        let step = 864_000_000_000 / Int64(max(1, count))
        return (0..<count).map { i in
            PredictionRecord(
                predictionID: "p\(i)", eventTime: start + Int64(i) * step,
                numericFeatures: (0..<20).map { _ in rng.nextGaussian() }, categoryFeatures: ["c\(i % 5)"],
                prediction: i % 2 == 0 ? "1" : "0", score: rng.nextUniform(),
                latencyMilliseconds: 2.5 + rng.nextUniform())
        }
    }

    static func writeCopyFile(_ records: [PredictionRecord], modelID: Int64, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw ValidationError("cannot write \(path)") }
        defer { fclose(file) }
        var text = ""
        text.reserveCapacity(1 << 22)
        for r in records {
            text += "\(modelID)\t\(r.predictionID)\t\(PostgresTimestamp.text(microseconds: r.eventTime))\t{"
            text += r.numericFeatures.map { $0.map { $0.description } ?? "NULL" }.joined(separator: ",")
            text += "}\t{\"\(r.categoryFeatures.first.flatMap { $0 } ?? "")\"}\t\(r.prediction ?? "\\N")\t"
            text +=
                "\(r.score.map { $0.description } ?? "\\N")\t\\N\t\(r.latencyMilliseconds.map { $0.description } ?? "\\N")\t\\N\n"
            if text.utf8.count > (1 << 22) - 4096 {
                text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
                text.removeAll(keepingCapacity: true)
            }
        }
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }
}
