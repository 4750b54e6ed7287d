import DriftAlerts
import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import DriftTrainer
import Foundation
import Logging
import ServiceLifecycle

/// The background service that runs retraining jobs from the `retrain_jobs` queue (ARCHITECTURE.md, an
/// event's step 7), one at a time per agent.
///
/// A job is claimed with a lease (`RetrainJobStore.claim`) that is renewed while it runs; an agent that
/// dies stops renewing, and once the lease runs out another agent (or this one, restarted) takes the job
/// over. The job's end, the challenger's version (promoted or rejected) and the `retrain.completed` /
/// `retrain.failed` notifications are written in one transaction, fenced by the lease, so a job is never
/// recorded twice. A job that keeps failing for reasons outside it (the database, a crash) is given up
/// after the policy's `max_attempts`.
package struct RetrainWorker: Service {
    let environment: AgentEnvironment
    let interval: Duration
    let logger: Logger
    /// Names this agent in leases.
    let owner: String
    /// The agent's environment, from which a `command` trainer is given the variables `retrain.env` allows.
    let processEnvironment: [String: String]

    /// `processEnvironment` defaults to this process's environment.
    package init(
        environment: AgentEnvironment, interval: Duration = .seconds(2), logger: Logger, owner: String? = nil,
        processEnvironment: [String: String]? = nil
    ) {
        self.environment = environment
        self.interval = interval
        self.logger = logger
        self.owner = owner ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.processEnvironment = processEnvironment ?? ProcessInfo.processInfo.environment
    }

    package func run() async throws {
        await PeriodicWork.run(every: interval, logger: logger, failure: "retraining worker pass failed") {
            while try await runOnce() != nil, !Task.isCancelled {}
        }
    }

    /// Claims and runs one job; returns it as finished (nil when none was due). Errors outside the job
    /// (the database) are thrown and the job is left to its lease.
    @discardableResult
    package func runOnce() async throws -> RetrainJobStore.Job? {
        let leaseSeconds =
            await environment.models.all().map(\.retrain.leaseSeconds).max()
            ?? RetrainPolicy().leaseSeconds
        let owner = owner
        guard
            let job = try await environment.pool.withConnection(
                purpose: "claim retraining job",
                {
                    try RetrainJobStore.claim(owner: owner, leaseSeconds: leaseSeconds, on: $0)
                })
        else { return nil }
        logger.info(
            "retraining job started",
            metadata: ["job": "\(job.jobID)", "attempt": "\(job.attempts)", "reason": "\(job.reason)"])
        let heartbeat = Task { await keepLease(job, leaseSeconds: leaseSeconds) }
        defer { heartbeat.cancel() }
        let started = ContinuousClock.now
        let finished = try await execute(job)
        heartbeat.cancel()
        environment.metrics.recordRetrain(status: finished?.status ?? "lost", seconds: ContinuousClock.now - started)
        return finished
    }

    /// Renews the lease every third of its length until cancelled.
    func keepLease(_ job: RetrainJobStore.Job, leaseSeconds: Int) async {
        let owner = owner
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(max(1, leaseSeconds / 3)))
                let held = try await environment.pool.withConnection(purpose: "renew retraining lease") {
                    try RetrainJobStore.renew(job, owner: owner, leaseSeconds: leaseSeconds, on: $0)
                }
                if !held {
                    logger.warning("retraining lease lost", metadata: ["job": "\(job.jobID)"])
                    return
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("renewing a retraining lease failed", metadata: ["error": "\(error)"])
            }
        }
    }

    func execute(_ job: RetrainJobStore.Job) async throws -> RetrainJobStore.Job? {
        let models = try await environment.pool.withConnection(purpose: "list models") { try ModelStore.list(on: $0) }
        guard let name = models.first(where: { $0.id == job.modelID })?.name,
            let model = await environment.models.model(name)
        else {
            return try await fail(job, model: "model \(job.modelID)", "the model is no longer configured")
        }
        let policy = model.retrain
        if job.attempts > policy.maxAttempts {
            return try await fail(
                job, model: name,
                "given up after \(policy.maxAttempts) attempts (each ended without a result: the agent running it stopped, or the database failed)"
            )
        }
        switch policy.trainer {
        case .builtin:
            let decision: RetrainRunner.Decision
            do {
                decision = try await RetrainRunner(environment: environment, logger: logger).decide(
                    job: job, model: model, modelID: job.modelID)
            } catch let failure as RetrainRunner.JobFailure {
                return try await fail(job, model: name, failure.message)
            } catch let error as TrainerError {
                return try await fail(job, model: name, "training failed: \(error)")
            }
            return try await record(job, model: name, decision)
        case .command(let command):
            return try await runCommand(job, model: model, command: command)
        case .webhook(let receiver):
            return try await handOver(job, model: name, receiver: receiver)
        }
    }

    /// Records a built-in job's decision: the challenger's version, the job's end and its notification.
    func record(
        _ job: RetrainJobStore.Job, model: String, _ decision: RetrainRunner.Decision
    ) async throws
        -> RetrainJobStore.Job?
    {
        let owner = owner
        let now = WallClock.microseconds()
        let alerting = environment.configuration.alerting
        let recorded = try await environment.pool.withConnection(purpose: "record retraining") { connection in
            do {
                return try connection.transaction(purpose: "record retraining") { () throws -> String? in
                    let version = try ModelVersionStore.add(
                        .init(
                            status: decision.promote ? "champion" : "rejected", artifactJSON: decision.artifactJSON,
                            evaluationJSON: decision.evaluationJSON, trainedFrom: decision.trainedFrom,
                            trainedTo: decision.trainedTo, jobID: job.jobID,
                            decision: decision.promote ? "promoted" : "kept"),
                        modelID: job.modelID, on: connection)
                    let result = decision.result(version)
                    guard
                        try RetrainJobStore.finish(
                            job, owner: owner, status: "succeeded", resultJSON: result, error: nil, on: connection)
                    else { throw LeaseLost() }
                    let notification = RetrainNotification(
                        event: "retrain.completed", model: model, jobID: job.jobID, reason: job.reason,
                        resultJSON: result, error: nil, timestamp: now, externalURL: alerting.externalURL)
                    try AlertStore.insertDeliveries(
                        notification.deliveries(alerting: alerting, now: now), modelID: job.modelID, alertID: nil,
                        fingerprint: "retrain:\(model)", on: connection)
                    return result
                }
            } catch is LeaseLost {
                return nil
            }
        }
        guard recorded != nil else {
            logger.warning("retraining result discarded: the lease was lost", metadata: ["job": "\(job.jobID)"])
            return nil
        }
        if decision.promote { await environment.champions.invalidate(modelID: job.modelID) }
        logger.info(
            "retraining job finished",
            metadata: ["job": "\(job.jobID)", "decision": "\(decision.promote ? "promoted" : "kept")"])
        return try await environment.pool.withConnection(purpose: "read retraining job") {
            try RetrainJobStore.job(id: job.jobID, on: $0)
        }
    }

    /// Ends a job as failed (if this worker still holds it) and notifies.
    func fail(_ job: RetrainJobStore.Job, model: String, _ message: String) async throws -> RetrainJobStore.Job? {
        try await end(job, model: model, status: "failed", event: "retrain.failed", result: nil, error: message)
    }

    func end(
        _ job: RetrainJobStore.Job, model: String, status: String, event: String, result: String?, error: String?,
        receivers: [String]? = nil
    ) async throws -> RetrainJobStore.Job? {
        let owner = owner
        let now = WallClock.microseconds()
        let alerting = environment.configuration.alerting
        logger.log(
            level: status == "failed" ? .error : .info, "retraining job \(status)",
            metadata: ["job": "\(job.jobID)", "error": "\(error ?? "")"])
        let ended = try await environment.pool.withConnection(purpose: "end retraining job") { connection in
            try connection.transaction(purpose: "end retraining job") {
                guard
                    try RetrainJobStore.finish(
                        job, owner: owner, status: status, resultJSON: result, error: error, on: connection)
                else { return false }
                let notification = RetrainNotification(
                    event: event, model: model, jobID: job.jobID, reason: job.reason, resultJSON: result, error: error,
                    timestamp: now, externalURL: alerting.externalURL)
                try AlertStore.insertDeliveries(
                    notification.deliveries(alerting: alerting, names: receivers, now: now), modelID: job.modelID,
                    alertID: nil, fingerprint: "retrain:\(model)", on: connection)
                return true
            }
        }
        guard ended else { return nil }
        return try await environment.pool.withConnection(purpose: "read retraining job") {
            try RetrainJobStore.job(id: job.jobID, on: $0)
        }
    }

    /// External trainer, `webhook`: the job goes to the receiver as `retrain.requested`; the trainer reports
    /// its version back with `POST /v1/models/{model}/versions`.
    func handOver(_ job: RetrainJobStore.Job, model: String, receiver: String) async throws -> RetrainJobStore.Job? {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("decision", "handed_over")
        w.string("trainer", "webhook")
        w.string("receiver", receiver)
        w.endObject()
        return try await end(
            job, model: model, status: "succeeded", event: "retrain.requested", result: w.text, error: nil,
            receivers: [receiver])
    }

    /// External trainer, `command`: runs it with the job as JSON on standard input (and `DRIFTWATCH_JOB_ID`,
    /// `DRIFTWATCH_MODEL` and the variables `retrain.env` allows in its environment, nothing else); exit
    /// status 0 hands the job over, anything else fails it. A command still running after `retrain.timeout`
    /// has its process group killed and fails the job; cancellation (shutdown) kills it too and leaves the
    /// job to its lease.
    func runCommand(
        _ job: RetrainJobStore.Job, model: ModelConfiguration, command: [String]
    ) async throws
        -> RetrainJobStore.Job?
    {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.integer("job_id", Int(job.jobID))
        w.string("model", model.name)
        w.string("reason", job.reason)
        w.integer("attempt", job.attempts)
        w.string("report_url", environment.configuration.alerting.externalURL + "/v1/models/\(model.name)/versions")
        w.endObject()
        let input = w.text
        let name = model.name
        let timeout = model.retrain.timeoutSeconds
        let childEnvironment = ExternalCommand.environment(
            allowing: model.retrain.environment, from: processEnvironment,
            adding: ["DRIFTWATCH_JOB_ID": String(job.jobID), "DRIFTWATCH_MODEL": name])
        let control = ExternalCommand.Control()
        let outcome = try await withTaskCancellationHandler {
            try await BlockingExecutor.shared.run {
                try ExternalCommand.run(
                    command, input: input, environment: childEnvironment, timeoutSeconds: timeout, control: control)
            }
        } onCancel: {
            control.cancel()
        }
        switch outcome.ending {
        case .exited: break
        case .cancelled:
            logger.warning(
                "retrain command stopped: the agent is shutting down; the job is left to its lease",
                metadata: ["job": "\(job.jobID)"])
            throw CancellationError()
        case .timedOut:
            let said = outcome.errorOutput.isEmpty ? "" : "; its standard error ended with: \(outcome.errorOutput)"
            return try await end(
                job, model: name, status: "failed", event: "retrain.failed", result: nil,
                error:
                    "trainer command timed out after \(Self.durationText(timeout)) (retrain.timeout); its process group was killed\(said)"
            )
        }
        var r = JSONWriter(pretty: false)
        r.beginObject()
        r.string("decision", "handed_over")
        r.string("trainer", "command")
        r.integer("exit_status", Int(outcome.status))
        r.string("output", outcome.output)
        r.endObject()
        if outcome.status == 0 {
            return try await end(
                job, model: name, status: "succeeded", event: "retrain.completed", result: r.text, error: nil)
        }
        return try await end(
            job, model: name, status: "failed", event: "retrain.failed", result: r.text,
            error: "the retrain command exited with status \(outcome.status): \(outcome.errorOutput)")
    }

    /// Seconds as a configuration duration (`90s`, `15m`, `1h`).
    static func durationText(_ seconds: Int) -> String {
        if seconds > 0 && seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0 && seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Control flow only: another worker took the job over; caught in this file, never reported.
    private struct LeaseLost: Error {}
}
