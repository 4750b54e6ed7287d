import DriftConfig
import Testing

/// Loads a configuration of one model `m` whose line 5 is `setting`, and expects it refused with
/// `message`, naming `bad.yaml:5` and the key path `path`.
func expectRefused(
    _ setting: String, message: String, path: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let yaml = """
        models:
          m:
            task: binary
            features: {x: numeric}
            \(setting)
        """
    do {
        _ = try ConfigurationLoader.load(yaml: yaml, file: "bad.yaml")
        Issue.record("accepted: \(setting)", sourceLocation: sourceLocation)
    } catch {
        let text = "\(error)"
        #expect(text.contains(message), "\(setting): \(text)", sourceLocation: sourceLocation)
        #expect(text.contains("bad.yaml:5"), "\(setting): \(text)", sourceLocation: sourceLocation)
        #expect(text.contains(path), "\(setting): \(text)", sourceLocation: sourceLocation)
    }
}
