import ArgumentParser
import DriftCore
import DriftStore
import Foundation
import PostgresDriver

/// `driftwatch retrain --model M [--wait]`: queues a retraining job by hand (the running agents' workers
/// take it) and, with `--wait`, waits for its end and prints its result.
struct RetrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Queue a retraining job for a model (an agent runs it); --wait prints its outcome.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The model to retrain.")
    var model: String
    @Flag(help: "Wait until the job has finished and print its result (exit 1 when it failed).")
    var wait = false
    @Option(help: "Seconds --wait waits at most (exit 1 when the job is still not finished).")
    var timeout = 1800

    func run() async throws {
        let url = try await database.resolvedURL()
        // One connection, used on the blocking executor (libpq blocks).
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        do {
            try await enqueue(on: pool)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// Queues the job and, with `--wait`, waits for its end.
    func enqueue(on pool: PostgresPool) async throws {
        let name = model
        guard
            let modelID = try await pool.withConnection(
                purpose: "find model", { try ModelStore.find(name: name, on: $0)?.id })
        else {
            FileHandleOutput.standardError("driftwatch: no model named '\(model)' in the database\n")
            throw ExitCode(2)
        }
        let jobID: Int64
        let enqueued = try await pool.withConnection(purpose: "queue retraining job") {
            try RetrainJobStore.enqueue(modelID: modelID, reason: "manual", trigger: "manual", on: $0)
        }
        switch enqueued {
        case .queued(let id):
            jobID = id
            FileHandleOutput.standardOutput("queued retraining job \(id) for \(model)\n")
        case .alreadyActive(let id):
            jobID = id
            FileHandleOutput.standardOutput("retraining job \(id) for \(model) is already queued or running\n")
        case .coolingDown:
            return  // manual jobs ignore the cooldown
        }
        guard wait else { return }
        let deadline = Date().addingTimeInterval(Double(timeout))
        while Date() < deadline {
            if let job = try await pool.withConnection(
                purpose: "read retraining job", { try RetrainJobStore.job(id: jobID, on: $0) }),
                job.status == "succeeded" || job.status == "failed"
            {
                var out = "job \(jobID) \(job.status) after \(job.attempts) attempt\(job.attempts == 1 ? "" : "s")\n"
                if let result = job.resultJSON { out += "result: \(result)\n" }
                if let error = job.error { out += "error: \(error)\n" }
                FileHandleOutput.standardOutput(out)
                if job.status == "failed" { throw ExitCode(1) }
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        FileHandleOutput.standardError(
            "driftwatch: job \(jobID) has not finished after \(timeout) s (is an agent running? driftwatch serve runs the jobs)\n"
        )
        throw ExitCode(1)
    }
}
