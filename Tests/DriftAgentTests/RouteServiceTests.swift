import DriftConfig
import DriftCore
import DriftStore
import DriftTables
import Testing

@testable import DriftAgent

/// The work behind the routes, called directly (no HTTP): request shapes, validation and reply text.
@Suite struct RouteServiceTests {
    func model() throws -> ModelConfiguration {
        let yaml = """
            models:
              credit:
                task: binary
                features: {income: numeric, region: categorical}
            """
        return try #require(try ConfigurationLoader.load(yaml: yaml, file: "test.yaml").models.first)
    }

    @Test func aPredictBodyWithInstancesIsABatch() throws {
        let body = try JSONValue.parse(#"{"instances": [{"features": {}}, {"features": {}}]}"#)
        let (batch, items) = try ChampionPredictor.items(of: body)
        #expect(batch)
        #expect(items.count == 2)
    }

    @Test func aPredictBodyThatIsOneObjectIsOneEvent() throws {
        let body = try JSONValue.parse(#"{"features": {"income": 1}}"#)
        let (batch, items) = try ChampionPredictor.items(of: body)
        #expect(!batch)
        #expect(items.count == 1)
    }

    @Test func aPredictBodyWithNoInstancesIsRefused() throws {
        let body = try JSONValue.parse(#"{"instances": []}"#)
        let error = try #require(throws: APIError.self) { try ChampionPredictor.items(of: body) }
        #expect(error.code == .invalidJSON)
        #expect(error.field == "instances")
    }

    @Test func anExternalVersionMustBeAJSONObject() throws {
        let error = try #require(throws: APIError.self) {
            try ModelVersions.newVersion(Array("[1]".utf8), source: .external, promote: false, model: try model())
        }
        #expect(error.code == .invalidJSON)
    }

    @Test func anExternalVersionHoldingANULIsRefused() throws {
        let error = try #require(throws: APIError.self) {
            try ModelVersions.newVersion(
                Array(#"{"ok": 1, "a\u0000": null}"#.utf8), source: .external, promote: false, model: try model())
        }
        #expect(error.code == .invalidJSON)
    }

    @Test func aPromotedExternalVersionIsStoredAsTheChampion() throws {
        let new = try ModelVersions.newVersion(
            Array(#"{"f1": 0.9}"#.utf8), source: .external, promote: true, model: try model())
        #expect(new.status == "champion")
        #expect(new.decision == "promoted")
        #expect(new.evaluationJSON == #"{"f1": 0.9}"#)
    }

    @Test func aBuiltinVersionThatIsNotAnArtifactIsRefused() throws {
        let error = try #require(throws: APIError.self) {
            try ModelVersions.newVersion(Array("{}".utf8), source: .builtin, promote: false, model: try model())
        }
        #expect(error.code == .invalidArtifact)
    }

    @Test func aReferenceBodyStartingWithABraceIsNDJSON() {
        #expect(ReferenceUpload.Format(contentType: "", body: Array("  {\"a\": 1}".utf8)) == .ndjson)
    }

    @Test func aReferenceSentAsCSVIsReadAsCSVWhateverItStartsWith() {
        #expect(ReferenceUpload.Format(contentType: "text/csv", body: Array("{a}\n1".utf8)) == .csv)
    }

    @Test func anIngestTallyListsAtMostAHundredRejectionsAndCountsThemAll() {
        var tally = IngestTally(countsDuplicates: false)
        for line in 1...150 { tally.reject(line, .invalid(field: "id", "bad")) }
        #expect(tally.rejected.count == 100)
        #expect(tally.jsonText().hasPrefix(#"{"accepted":0,"rejected_count":150,"rejected":[{"line":1,"#))
    }

    @Test func aStoredCloudEventPairReplyCountsItsEvents() {
        let reply = CloudEventReply.stored(id: "e1", accepted: 3, duplicates: 1, late: 0)
        #expect(reply.jsonText() == #"{"status":"stored","id":"e1","accepted":3,"duplicates":1,"late":0}"#)
    }
}
