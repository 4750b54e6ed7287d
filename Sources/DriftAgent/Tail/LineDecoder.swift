import DriftCore
import DriftStore

/// Turns the lines of a followed file into records, with the decoders the HTTP ingest uses: Driftwatch's
/// own lines directly, BentoML's through its schema's column roles. Blank lines are skipped; bad ones
/// become rejections with their line number and field.
struct LineDecoder: Sendable {
    let source: TailSource
    let predictions: PredictionEventDecoder
    let schema: BentoMLSchema?
    let numericTarget: Bool
    /// The label time of labels that carry none (µs).
    let now: Int64

    init(source: TailSource, configuration: ModelConfiguration, schema: BentoMLSchema?, now: Int64) {
        self.source = source
        predictions = PredictionEventDecoder(model: configuration)
        self.schema = schema
        numericTarget = configuration.task == .regression
        self.now = now
    }

    func decode(_ bytes: ArraySlice<UInt8>, line: Int64, into batch: inout LogTailer.Batch) {
        var bytes = bytes
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return }
        let outcome: Result<Void, EventProblem> = bytes.withUnsafeBufferPointer { buffer in
            switch (source.format, source.kind) {
            case (.driftwatch, .predictions):
                return predictions.decode(buffer).map { batch.predictions.append(IngestRoutes.record($0)) }
            case (.driftwatch, .labels):
                return LabelEvent.decode(buffer).map { batch.labels.append(record($0)) }
            case (.bentoml, let kind):
                let value: JSONValue
                do {
                    value = try JSONValue.parse(buffer)
                } catch {
                    return .failure(EventProblem(field: nil, "not valid JSON: \(error)"))
                }
                guard let schema else { return .failure(EventProblem(field: nil, "no BentoML schema")) }
                if kind == .predictions {
                    return schema.predictionEvent(value).flatMap { predictions.decode($0) }.map {
                        batch.predictions.append(IngestRoutes.record($0))
                    }
                }
                return schema.labelEvent(value, numericTarget: numericTarget).flatMap { LabelEvent.decode($0) }.map {
                    batch.labels.append(record($0))
                }
            }
        }
        if case .failure(let problem) = outcome {
            batch.rejections.append((line, problem.field, problem.message))
        }
    }

    func record(_ label: LabelEvent) -> LabelStore.Record {
        LabelStore.Record(
            predictionID: label.id, label: label.label, value: label.value, labelTime: label.timestamp ?? now)
    }
}
