import DriftCore
import Testing

@testable import DriftConfig

@Suite struct TailConfigurationTests {
    @Test func tailSourcesAreReadWithTheirDefaults() throws {
        let config = try ConfigurationLoader.load(
            yaml: """
                models:
                  m:
                    task: binary
                    features: {x: numeric}
                    tail:
                      - /var/log/model/*.jsonl
                      - {path: /var/log/model/labels.jsonl, kind: labels}
                      - {path: /srv/bento/monitoring/iris, format: bentoml}
                  n:
                    task: binary
                    features: {x: numeric}
                """, file: "t.yaml")
        let m = try #require(config.model("m"))
        #expect(
            m.tail == [
                TailSource(path: "/var/log/model/*.jsonl"),
                TailSource(path: "/var/log/model/labels.jsonl", kind: .labels),
                TailSource(path: "/srv/bento/monitoring/iris", format: .bentoml),
            ])
        #expect(m.tail[2].fileGlob == "/srv/bento/monitoring/iris/data/data.*.log")
        #expect(config.model("n")?.tail == [])
    }

    @Test func badTailSettingsAreRefusedAtTheirKeyPath() {
        let cases: [(String, String, String)] = [
            ("tail: [{path: /a.log, kind: events}]", "'events' is not one of: predictions, labels", "tail[0].kind"),
            ("tail: [{path: /a.log, format: seldon}]", "'seldon' is not one of: driftwatch, bentoml", "tail[0].format"),
            ("tail: [{kind: labels}]", "path is required", "tail[0].path"),
            ("tail: [{path: /a.log, glob: true}]", "unknown key 'glob'", "tail[0].glob"),
            ("tail: [/a.log, /a.log]", "'/a.log' is already followed for predictions", "tail[1]"),
            ("tail: [{path: '/m/*', format: bentoml}]", "the monitor's directory", "tail[0].path"),
            ("tail: /a.log", "expected a list", "tail"),
        ]
        for (setting, message, path) in cases {
            expectRefused(setting, message: message, path: "models.m.\(path)")
        }
    }

    @Test func settingsSentOverTheAPICannotFollowFiles() {
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationLoader.loadModel(
                name: "m", text: #"{"task": "binary", "features": {"x": "numeric"}, "tail": ["/etc/passwd"]}"#,
                source: "request body", defaults: ModelDefaults())
        }
    }
}
