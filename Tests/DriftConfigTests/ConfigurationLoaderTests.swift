import DriftCore
import Foundation
import Testing

@testable import DriftConfig

@Suite struct ConfigurationLoaderTests {
    func load(_ yaml: String) throws(ConfigurationError) -> DriftwatchConfiguration {
        try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
    }

    func problems(_ yaml: String) -> [ConfigurationProblem] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func theExampleFileLoadsWithEveryKey() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/driftwatch.example.yaml")
        let config = try ConfigurationLoader.load(yaml: String(contentsOf: url, encoding: .utf8), file: url.path)
        #expect(config.server.port == 8080)
        #expect(config.auth.tokenSources == [.environment("DRIFTWATCH_TOKEN")])
        #expect(config.database.urlEnvironment == "DATABASE_URL")
        #expect(config.defaults.drift.thresholds[.psi] == 0.2)
        let model = try #require(config.model("car_loan"))
        #expect(model.task == .binary)
        #expect(model.features.count == 7)
        #expect(model.window == .duration(seconds: 86_400))
        #expect(model.allowedLatenessSeconds == 3600)
        #expect(model.retrain.margin == 0.01)
        #expect(model.retrain.modelKind == .logistic)
        #expect(model.retentionDays == 90)
        #expect(model.reference == .file("Examples/car_loan/car_loan_reference.csv.gz"))
        // Model settings start from the defaults and override only what they name.
        #expect(model.drift.thresholds[.ks] == 0.01)
        #expect(model.drift.thresholds[.psi] == 0.2)
        let tenure = try #require(model.features.first { $0.name == "driver_tenure" })
        #expect(model.methods(for: tenure) == [.ks, .wassersteinNormed])
        let salary = try #require(model.features.first { $0.name == "salary_range" })
        #expect(model.methods(for: salary) == [.chiSquare, .psi])
    }

    @Test func anEmptyFileMeansEveryDefault() throws {
        let config = try load("")
        #expect(config == DriftwatchConfiguration())
    }

    @Test func unknownKeysAreReportedWhereTheyAreWithASuggestion() {
        let found = problems(
            """
            server:
              prot: 9000
            models:
              m:
                task: binary
                features: {x: numeric}
                windw: 1h
            """)
        #expect(found.count == 2)
        #expect(found[0].description == "test.yaml:2:3: server.prot: unknown key 'prot' (did you mean 'port'?)")
        #expect(found[1].line == 7)
        #expect(found[1].path == "models.m.windw")
        #expect(found[1].message.contains("did you mean 'window'?"))
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = problems(
            """
            server:
              port: 70000
            database:
              pool_size: many
            defaults:
              window: soon
              retention: 36h
            models:
              a:
                task: ranking
                features:
                  x: numeric
                  y: {type: categorical, methods: [ks]}
              b:
                features: {x: numeric}
            """)
        let paths = found.map(\.path)
        #expect(paths.contains("server.port"))
        #expect(paths.contains("database.pool_size"))
        #expect(paths.contains("defaults.window"))
        #expect(paths.contains("defaults.retention"))
        #expect(paths.contains("models.a.task"))
        #expect(paths.contains("models.a.features.y.methods"))
        #expect(paths.contains("models.b"))
        #expect(found.allSatisfy { $0.line != nil })
        #expect(found.first { $0.path == "models.a.task" }?.message.contains("binary, multiclass, regression") == true)
    }

    @Test func windowsAreDurationsOrEventCounts() throws {
        let config = try load(
            """
            models:
              by_time: {task: regression, features: {x: numeric}, window: 15m}
              by_count: {task: regression, features: {x: numeric}, window: 5000}
            """)
        #expect(config.model("by_time")?.window == .duration(seconds: 900))
        #expect(config.model("by_count")?.window == .events(5000))
    }

    @Test func referencesTakeOneForm() throws {
        let config = try load(
            """
            models:
              a: {task: binary, features: {x: numeric}, reference: {first_events: 1000}}
              b: {task: binary, features: {x: numeric}, reference: {from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z"}}
            """)
        #expect(config.model("a")?.reference == .firstEvents(1000))
        #expect(config.model("b")?.reference == .timeRange(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z"))
        let bad = problems(
            "models:\n  a: {task: binary, features: {x: numeric}, reference: {file: a.csv, first_events: 3}}\n")
        #expect(bad.map(\.path) == ["models.a.reference"])
    }

    @Test func aDuplicateKeyIsAnError() {
        let duplicate = problems("server:\n  port: 1\n  port: 2\n")
        #expect(duplicate.first?.line != nil)
        #expect(duplicate.first?.message == "a key appears twice in this mapping: 'port'")
    }

    @Test func invalidYAMLIsAnError() {
        let broken = problems("server:\n  port: [unclosed\n")
        #expect(broken.first?.message.hasPrefix("not valid YAML") == true)
        #expect(broken.first?.line != nil)
    }

    @Test func authNeedsATokenSourceWhenEnabled() throws {
        #expect(problems("auth:\n  tokens: []\n").map(\.path) == ["auth.tokens"])
        let open = try load("auth:\n  enabled: false\n  tokens: []\n")
        #expect(open.auth.enabled == false)
        let files = try load("auth:\n  tokens:\n    - file: /etc/tokens\n    - env: T\n")
        #expect(files.auth.tokenSources == [.file("/etc/tokens"), .environment("T")])
    }
}
