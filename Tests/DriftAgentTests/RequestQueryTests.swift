import DriftCore
import Hummingbird
import HummingbirdCore
import Testing

@testable import DriftAgent

/// The typed queries of the routes, parsed from a query string without a server.
@Suite struct RequestQueryTests {
    func query(_ text: String) -> QueryParameters { URI("/x?" + text).queryParameters }

    /// 2024-05-01T00:00:00Z in microseconds.
    let may1: Int64 = 1_714_521_600_000_000

    @Test func aSeriesQueryNeedsAMetric() throws {
        let error = try #require(throws: APIError.self) { try SeriesQuery(query("feature=age"), now: may1) }
        #expect(error.code == .missingParameter)
        #expect(error.field == "metric")
    }

    @Test func aSeriesQueryDefaultsToTheSevenDaysBeforeNow() throws {
        let series = try SeriesQuery(query("metric=psi&feature=age&method=psi"), now: may1)
        #expect(series.metric == WindowMetric(rawValue: "psi"))
        #expect(series.feature == "age")
        #expect(series.method == "psi")
        #expect(series.to == may1)
        #expect(series.from == may1 - 7 * 86_400_000_000)
    }

    @Test func aSeriesQueryReadsRFC3339Times() throws {
        let series = try SeriesQuery(
            query("metric=f1&from=2024-04-30T00:00:00Z&to=2024-05-01T00:00:00Z"), now: 0)
        #expect(series.from == may1 - 86_400_000_000)
        #expect(series.to == may1)
    }

    @Test func aTimeThatIsNotRFC3339IsRefusedNamingIt() throws {
        let error = try #require(throws: APIError.self) { try SeriesQuery(query("metric=f1&to=yesterday"), now: may1) }
        #expect(error.code == .invalidParameter)
        #expect(error.field == "to")
    }

    @Test func aReportQueryRefusesFromAfterTo() throws {
        let error = try #require(throws: APIError.self) {
            try ReportQuery(query("from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z"))
        }
        #expect(error.field == "from")
    }

    @Test func aReportQueryDefaultsToEverything() throws {
        let report = try ReportQuery(query(""))
        #expect(report.from == 0)
        #expect(report.to == ReportQuery.defaultEnd)
    }

    @Test func anAlertQueryListsOpenAlertsByDefault() throws {
        let alerts = try AlertQuery(query("model=credit"))
        #expect(alerts.state == .open)
        #expect(alerts.model == "credit")
    }

    @Test func anAlertQueryRefusesAnUnknownState() throws {
        let error = try #require(throws: APIError.self) { try AlertQuery(query("state=closed")) }
        #expect(error.field == "state")
    }

    @Test func aVersionUploadIsABuiltinCandidateByDefault() throws {
        let upload = try VersionUploadQuery(query(""))
        #expect(!upload.promote)
        #expect(upload.source == .builtin)
    }

    @Test func aVersionUploadReadsPromoteAndSource() throws {
        let upload = try VersionUploadQuery(query("promote=1&source=external"))
        #expect(upload.promote)
        #expect(upload.source == .external)
    }

    @Test func aVersionUploadRefusesAPromoteThatIsNotABoolean() throws {
        let error = try #require(throws: APIError.self) { try VersionUploadQuery(query("promote=yes")) }
        #expect(error.code == .invalidParameter)
        #expect(error.field == "promote")
    }

    @Test func aVersionUploadRefusesAnUnknownSource() throws {
        let error = try #require(throws: APIError.self) { try VersionUploadQuery(query("source=mlflow")) }
        #expect(error.field == "source")
    }

    @Test func aReferenceUploadIsStoredUnderItsSource() throws {
        #expect(try ReferenceUploadQuery(query("source=train-2024")).source == "upload:train-2024")
        #expect(try ReferenceUploadQuery(query("")).source == "upload:reference")
    }

    @Test func aReferenceUploadRefusesANULInItsSource() throws {
        let error = try #require(throws: APIError.self) { try ReferenceUploadQuery(query("source=a%00b")) }
        #expect(error.code == .invalidParameter)
        #expect(error.field == "source")
    }

    @Test func aSeriesQueryRefusesANULInAFeature() throws {
        let error = try #require(throws: APIError.self) {
            try SeriesQuery(query("metric=psi&feature=a%00b"), now: may1)
        }
        #expect(error.code == .invalidParameter)
        #expect(error.field == "feature")
    }

    @Test func aCloudEventQueryMayNameTheModel() {
        #expect(CloudEventQuery(query("model=credit")).model == "credit")
        #expect(CloudEventQuery(query("")).model == nil)
    }
}
