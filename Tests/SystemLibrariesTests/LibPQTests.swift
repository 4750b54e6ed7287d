import CLibPQ
import Testing

/// libpq is linked and callable (the store issue builds the real layer on it).
@Suite struct LibPQTests {
    @Test func libraryVersionIsPostgres15OrNewer() {
        let version = PQlibVersion()
        #expect(version >= 15_00_00, "libpq \(version)")
    }

    @Test func parsesAConnectionString() throws {
        var error: UnsafeMutablePointer<CChar>?
        let options = try #require(
            PQconninfoParse("host=/tmp port=5433 dbname=driftwatch", &error),
            "PQconninfoParse failed: \(error.map { String(cString: $0) } ?? "?")")
        defer { PQconninfoFree(options) }
        var found: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { found[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        #expect(found["host"] == "/tmp")
        #expect(found["port"] == "5433")
        #expect(found["dbname"] == "driftwatch")
    }
}
