import DriftBatch
import DriftCore
import DriftTables
import DriftTrainer

/// The car-loan files the demo replays (`Examples/car_loan/`, see its README): the reference period with its
/// labels (`repaid`), and the monitored period's events joined with their late labels.
struct DemoData: Sendable {
    /// One monitored event: its time (µs), the body `POST /v1/models/{m}/predict` takes (id, timestamp and
    /// features, no outputs: the champion makes the prediction), and its label.
    struct Event: Sendable {
        let time: Int64
        let id: String
        let json: String
        let label: String?
    }

    static let labelColumn = "repaid"

    /// The monitored period's events in event-time order: before `until` (µs) when given, else up to the last
    /// whole window (the data's last week holds a few hours, too few events to judge a rule on).
    let events: [Event]

    static func load(dataDir: String, model: ModelConfiguration, until: Int64?) throws -> DemoData {
        let analysis = try TableLoader.load(
            dataDir + "/car_loan_analysis.csv.gz", options: readOptions(model))
        let target = try TableLoader.load(
            dataDir + "/car_loan_analysis_target.csv.gz", options: readOptions(model))
        guard let targetIDs = target.column("id")?.strings, let targetLabels = target.column(labelColumn)?.strings,
            let ids = analysis.column("id")?.strings, let stamps = analysis.column("timestamp")?.strings
        else {
            throw DemoError(
                .invalidSetup, "\(dataDir): the car-loan files need the columns id, timestamp and \(labelColumn)")
        }
        var labels: [String: String] = [:]
        for (id, label) in zip(targetIDs, targetLabels) { if let id, let label { labels[id] = label } }
        let features = try model.features.map { feature in
            guard let column = analysis.column(feature.name) else {
                throw DemoError(.invalidSetup, "\(dataDir)/car_loan_analysis.csv.gz has no column \(feature.name)")
            }
            return (feature.name, column)
        }
        var events: [Event] = []
        events.reserveCapacity(analysis.rowCount)
        for row in 0..<analysis.rowCount {
            guard let id = ids[row], let stamp = stamps[row].map(EventLines.withZone),
                let time = RFC3339.microseconds(stamp)
            else { continue }
            if let until, time >= until { continue }
            var w = JSONWriter(pretty: false)
            w.beginObject()
            w.string("id", id)
            w.string("timestamp", stamp)
            w.beginObject("features")
            for (name, column) in features { EventLines.cell(column, row, key: name, &w) }
            w.endObject()
            w.endObject()
            events.append(Event(time: time, id: id, json: w.text, label: labels[id]))
        }
        events.sort { $0.time < $1.time }
        if until == nil, case .duration(let seconds) = model.window, seconds > 0, let last = events.last?.time {
            let size = Int64(seconds) * 1_000_000
            let cut = last / size * size  // event times here are after 1970
            events.removeAll { $0.time >= cut }
        }
        return DemoData(events: events)
    }

    /// The reference period as the trainer's set (the model's features, the label), and its time range (µs).
    static func reference(dataDir: String, model: ModelConfiguration) throws -> (TrainingSet, ClosedRange<Int64>?) {
        let path = dataDir + "/car_loan_reference.csv.gz"
        let table = try TableLoader.load(path, options: readOptions(model))
        let set = try TrainerCLI.mapping(file: path) {
            try TrainingSet(table: table, label: labelColumn, task: model.task, features: model.features.map(\.name))
        }
        let times = (table.column("timestamp")?.strings ?? []).compactMap {
            $0.flatMap { RFC3339.microseconds(EventLines.withZone($0)) }
        }
        guard let first = times.min(), let last = times.max() else { return (set, nil) }
        return (set, first...last)
    }

    /// Ids and times are text; categorical features as the model says.
    static func readOptions(_ model: ModelConfiguration) -> TableReadOptions {
        var options = TableReadOptions()
        options.categorical = Set(["id", "timestamp"] + model.features.filter { $0.type == .categorical }.map(\.name))
        return options
    }
}
