import Testing

@testable import DriftConfig

/// Durations are read with checked arithmetic: one too long for the µs arithmetic downstream is a problem
/// on its line, never a trap.
@Suite struct DurationLimitTests {
    func problems(_ yaml: String) -> [ConfigurationProblem] {
        do {
            _ = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aDurationTooLongToCountInMicrosecondsIsAProblemOnItsLine() {
        let found = problems(
            """
            alerting:
              repeat_interval: 99999999999w
            models:
              m:
                task: binary
                features: {x: numeric}
                window: 99999999999w
                allowed_lateness: 999999999999999999999999s
            """)
        let byLine = found.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        #expect(byLine.map(\.line) == [2, 7, 8])
        #expect(byLine.map(\.path) == ["alerting.repeat_interval", "models.m.window", "models.m.allowed_lateness"])
        #expect(found.allSatisfy { $0.message.contains("longest duration allowed, 36500d") })
    }

    @Test func durationsUpToOneHundredYearsAreRead() {
        #expect(ConfigurationReader.readDuration("36500d") == .seconds(3_153_600_000))
        #expect(ConfigurationReader.readDuration("5214w") == .seconds(3_153_427_200))
        #expect(ConfigurationReader.readDuration("36501d") == .tooLong)
        #expect(ConfigurationReader.readDuration("9223372036854775807s") == .tooLong)
        #expect(ConfigurationReader.readDuration("15x") == .invalid)
        #expect(ConfigurationReader.readDuration("-5m") == .invalid)
        #expect(ConfigurationReader.readDuration("0m") == .invalid)
    }
}
