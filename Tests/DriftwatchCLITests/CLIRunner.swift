import DriftTestSupport
import Foundation
import Testing

/// Runs the built `driftwatch` executable (it sits beside the test bundle) and captures its output.
struct CLIRunner {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String

        var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]) ?? [:]
        }

        /// Standard output read as one JSON object (throws when it is not one).
        func object() throws -> JSONObject { try JSONObject(parsing: stdout) }
    }

    static var executable: URL {
        let exe = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        var dir = exe.deletingLastPathComponent()
        // The test binary may sit inside a .xctest bundle directory.
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("driftwatch").path)
        {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("driftwatch")
    }

    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)?.path ?? "missing-fixture-\(name)"
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Relative closeness for values that went through JSON text (Foundation's JSON reader on Linux may
/// be off by one ulp, far inside 1e-12).
func close(_ a: Double?, _ b: Double?, relative: Double = 1e-12) -> Bool {
    guard let a, let b else { return false }
    return abs(a - b) <= relative * max(abs(b), 1e-300)
}

func number(_ any: Any?) -> Double? {
    if let n = any as? NSNumber { return n.doubleValue }
    if let s = any as? String { return s == "inf" ? .infinity : s == "-inf" ? -.infinity : s == "nan" ? .nan : nil }
    return nil
}

func dig(_ object: Any?, _ path: Any...) -> Any? {
    var current = object
    for step in path {
        if let key = step as? String { current = (current as? [String: Any])?[key] }
        if let index = step as? Int {
            guard let array = current as? [Any], index < array.count else { return nil }
            current = array[index]
        }
    }
    return current
}
