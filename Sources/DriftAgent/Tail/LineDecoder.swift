import DriftCore
import DriftStore
import DriftTables

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
    /// The event and label times accepted (the HTTP ingest's bounds).
    let bounds: EventAdmission

    init(
        source: TailSource, configuration: ModelConfiguration, schema: BentoMLSchema?, now: Int64,
        maxFutureSkewSeconds: Int
    ) {
        self.source = source
        bounds = EventAdmission(
            now: now, maxFutureSkewSeconds: maxFutureSkewSeconds, retentionDays: configuration.retentionDays)
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
                return predictions.decode(buffer).flatMap(admitted).map { append($0, line, &batch) }
            case (.driftwatch, .labels):
                return LabelEvent.decode(buffer).flatMap(admitted).map { append($0, line, &batch) }
            case (.bentoml, let kind):
                let value: JSONValue
                do {
                    value = try JSONValue.parse(buffer)
                } catch {
                    return .failure(EventProblem(.notJSON, field: nil, "not valid JSON: \(error)"))
                }
                guard let schema else { return .failure(.invalid(field: nil, "no BentoML schema")) }
                if kind == .predictions {
                    return schema.predictionEvent(value).flatMap { predictions.decode($0) }.flatMap(admitted).map {
                        append($0, line, &batch)
                    }
                }
                return schema.labelEvent(value, numericTarget: numericTarget).flatMap { LabelEvent.decode($0) }
                    .flatMap(admitted).map { append($0, line, &batch) }
            }
        }
        if case .failure(let problem) = outcome {
            batch.rejections.append((line, problem.field, problem.message))
        }
    }

    func admitted(_ event: PredictionEvent) -> Result<PredictionEvent, EventProblem> {
        bounds.problem(eventTime: event.timestamp).map { .failure($0) } ?? .success(event)
    }

    func admitted(_ label: LabelEvent) -> Result<LabelEvent, EventProblem> {
        label.timestamp.flatMap { bounds.problem(eventTime: $0) }.map { .failure($0) } ?? .success(label)
    }

    func append(_ event: PredictionEvent, _ line: Int64, _ batch: inout LogTailer.Batch) {
        batch.predictions.append(PredictionRecord(event))
        batch.recordLines.append(line)
    }

    func append(_ label: LabelEvent, _ line: Int64, _ batch: inout LogTailer.Batch) {
        batch.labels.append(record(label))
        batch.recordLines.append(line)
    }

    func record(_ label: LabelEvent) -> LabelStore.Record {
        LabelStore.Record(
            predictionID: label.id, label: label.label, value: label.value, labelTime: label.timestamp ?? now)
    }
}
