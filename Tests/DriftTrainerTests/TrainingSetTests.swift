import DriftCore
import DriftTables
import Testing

@testable import DriftTrainer

/// Building training sets from columns and from tables.
@Suite struct TrainingSetTests {
    static func table(_ csv: String) throws -> Table {
        try CSVReader.read(bytes: Array(csv.utf8), source: "t.csv")
    }

    @Test func lengthsMustAgree() {
        #expect(throws: TrainerError.self) {
            try TrainingSet(
                numeric: [.init(name: "a", values: [1, 2]), .init(name: "b", values: [1])], categorical: [],
                target: nil)
        }
        #expect(throws: TrainerError.self) {
            try TrainingSet(numeric: [.init(name: "a", values: [1, 2])], categorical: [], target: .classes(["x"]))
        }
    }

    @Test func namesMustBeUnique() throws {
        let error = try #require(
            Support.trainerError {
                _ = try TrainingSet(
                    numeric: [.init(name: "a", values: [1])], categorical: [.init(name: "a", values: ["x"])],
                    target: nil)
            })
        #expect(error.code == .duplicateColumn)
        #expect(error.column == "a")
    }

    @Test func fromTableWithEveryOtherColumnAsFeature() throws {
        let set = try TrainingSet(
            table: Self.table("a,colour,y\n1,red,1\n2,blue,1.0\n3,red,0\n"), label: "y", task: .binary)
        #expect(set.numeric.map(\.name) == ["a"])
        #expect(set.categorical.map(\.name) == ["colour"])
        #expect(try #require(set.target?.classLabels) == ["1", "1", "0"])  // "1" and "1.0" are one class
        #expect(set.rowCount == 3)
    }

    @Test func onlyTheListedFeaturesAreTaken() throws {
        let set = try TrainingSet(
            table: Self.table("a,b,y\n1,2,0.5\n3,4,1.5\n"), label: "y", task: .regression, features: ["b"])
        #expect(set.featureNames == ["b"])
    }

    @Test func aRegressionTargetKeepsItsValues() throws {
        let set = try TrainingSet(
            table: Self.table("a,b,y\n1,2,0.5\n3,4,1.5\n"), label: "y", task: .regression, features: ["b"])
        #expect(try #require(set.target?.regressionValues) == [0.5, 1.5])
    }

    @Test func missingLabelsAreAnErrorAtTheirPlace() throws {
        let table = try Self.table("a,y\n1,1\n2,\n3,0\n4,\n")
        let error = try #require(Support.trainerError { _ = try TrainingSet(table: table, label: "y", task: .binary) })
        #expect(error.code == .missingLabel)
        #expect(error.column == "y")
        #expect(error.line == 3)
        #expect(error.message.contains("2 rows"))
    }

    @Test func unknownLabelOrFeatureIsNamed() throws {
        let table = try Self.table("a,y\n1,1\n")
        let label = try #require(
            Support.trainerError { _ = try TrainingSet(table: table, label: "nope", task: .binary) })
        #expect(label.code == .missingColumn)
        #expect(label.column == "nope")
        let feature = try #require(
            Support.trainerError {
                _ = try TrainingSet(table: table, label: "y", task: .binary, features: ["a", "zz"])
            })
        #expect(feature.column == "zz")
    }

    @Test func regressionLabelMustBeNumeric() throws {
        let table = try Self.table("a,y\n1,x\n2,z\n")
        #expect(throws: TrainerError.self) { try TrainingSet(table: table, label: "y", task: .regression) }
    }

    static func eightyTwentySet() throws -> TrainingSet {
        try TrainingSet(
            numeric: [.init(name: "x", values: (0..<100).map(Double.init))], categorical: [],
            target: .classes((0..<100).map { $0 < 80 ? "a" : "b" }))
    }

    @Test func theHoldOutSplitsEveryRowOnce() throws {
        let (train, test) = try Self.eightyTwentySet().holdOut(testFraction: 0.25, seed: 5)
        #expect(train.count == 75 && test.count == 25)
        #expect(Set(train + test).count == 100)
    }

    @Test func theHoldOutIsStratified() throws {
        let (_, test) = try Self.eightyTwentySet().holdOut(testFraction: 0.25, seed: 5)
        #expect(test.filter { $0 >= 80 }.count == 5)  // 25% of each class
    }

    @Test func theHoldOutFollowsItsSeed() throws {
        let set = try Self.eightyTwentySet()
        let (train, test) = set.holdOut(testFraction: 0.25, seed: 5)
        let again = set.holdOut(testFraction: 0.25, seed: 5)
        #expect(again.train == train && again.test == test)
        #expect(set.holdOut(testFraction: 0.25, seed: 6).test != test)
    }
}
