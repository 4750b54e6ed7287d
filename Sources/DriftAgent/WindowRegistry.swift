/// What the ingest routes and the window closer share about each model's windows: where the closed
/// windows end (events before that are late) and when the model last received events (an idle model's
/// open windows are closed after its allowed lateness of wall time).
public actor WindowRegistry {
    var closedThrough: [String: Int64] = [:]
    var lastIngest: [String: ContinuousClock.Instant] = [:]
    var labelCheckpoints: [String: Int64] = [:]
    let startedAt = ContinuousClock.now

    public init() {}

    /// The end of the model's last closed (or closing) window, µs; events before it are late.
    public func closedEnd(_ model: String) -> Int64? { closedThrough[model] }

    /// Moves the closed end forward (never back).
    public func close(_ model: String, through end: Int64) {
        closedThrough[model] = max(closedThrough[model] ?? .min, end)
    }

    /// Notes that the model received events now.
    public func touch(_ model: String) { lastIngest[model] = .now }

    /// Wall time since the model's last events (or since the agent started, when none came since).
    public func idleTime(_ model: String) -> Duration { ContinuousClock.now - (lastIngest[model] ?? startedAt) }

    /// Label arrival time (database clock, µs) up to which the model's windows are up to date.
    func labelCheckpoint(_ model: String) -> Int64? { labelCheckpoints[model] }

    func setLabelCheckpoint(_ model: String, _ value: Int64) { labelCheckpoints[model] = value }
}
