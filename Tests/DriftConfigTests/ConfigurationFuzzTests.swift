import DriftCore
import DriftTestSupport
import Foundation
import Testing

@testable import DriftConfig

/// Seeded mutation fuzzing of the configuration loader on the example file: every mutated file loads or
/// fails with a `ConfigurationError` whose problems name the file; nothing crashes or hangs.
@Suite struct ConfigurationFuzzTests {
    /// Bytes that matter to YAML and to the configuration's values (durations, lists, anchors).
    static let interesting: [UInt8] = Array(":-[]{},#'\"\n &*!|>0123456789.smhdw_".utf8) + [0x09, 0xC3]

    @Test func mutatedConfigurationsLoadOrFailWithTheirPlace() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/driftwatch.example.yaml")
        let seed = Array(try String(contentsOf: url, encoding: .utf8).utf8)
        var m = ByteMutator(state: 0xC0F1_6F00_22)
        var loaded = 0
        var refused = 0
        for _ in 0..<1500 {
            var bytes = seed
            for _ in 0..<(1 + m.below(3)) {
                switch m.below(4) {
                case 0: bytes[m.below(bytes.count)] = Self.interesting[m.below(Self.interesting.count)]
                case 1: bytes.insert(Self.interesting[m.below(Self.interesting.count)], at: m.below(bytes.count))
                case 2: bytes.remove(at: m.below(bytes.count))
                default:
                    // A copy of one line inserted before another (duplicate keys, misplaced blocks).
                    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                    lines.insert(lines[m.below(lines.count)], at: m.below(lines.count))
                    bytes = Array(lines.joined(separator: [0x0A]))
                }
            }
            do {
                _ = try ConfigurationLoader.load(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
                loaded += 1
            } catch {
                refused += 1
                #expect(error.problems.allSatisfy { $0.file == "fuzz.yaml" && !$0.message.isEmpty })
            }
        }
        #expect(loaded > 100)
        #expect(refused > 100)
    }
}
