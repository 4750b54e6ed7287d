import DriftCore
import DriftStore
import DriftSystem
import Logging
import PostgresDriver

/// Follows the files of one `tail` source of one model and ingests their complete lines exactly once.
///
/// Each pass globs the source's pattern, opens files not followed yet (a file is known by its device and
/// inode, so a renamed file keeps its place), and reads each from its stored offset in chunks, at most
/// `maxBatchLines` lines per transaction. A batch's events are stored in the same transaction that moves
/// the file's offset row, the row claimed only if it still holds the offset the batch was read from: a
/// crash loses or repeats nothing, and of two agents following one file only one stores each line. Only
/// complete lines (ending in `\n`) are read; a partial last line waits. A file the glob no longer matches
/// (renamed away by a rotation, or unlinked) is read to its end and let go once it has stayed there for
/// `graceIdlePasses` passes. A file that shrank (copytruncate) or whose first bytes changed (a reused
/// inode) is read again from its start, after the rest of its old content is read from the copy next to
/// it, found by the fingerprint of its first bytes. A copy the tailer never saw the content of (several
/// copytruncates, or a rename and a copytruncate, between two passes) is found by its name — the followed
/// file's name and a suffix, as rotations name them — and read from its start (or its stored offset), if
/// it appeared after the tailer started and starts unlike what the followed files hold or held where they
/// were stored. Content that can no longer be found or read is logged as lost, and the tailer goes on with
/// the rest. Bad lines are logged with file:line and field, counted, and skipped.
///
/// `@unchecked Sendable`: its state is used by one task at a time (`TailService`'s loop awaits every call);
/// blocking file work runs on the `BlockingExecutor`, one call at a time, while that task waits.
final class LogTailer: @unchecked Sendable {
    let model: String
    let source: TailSource
    let environment: AgentEnvironment
    let logger: Logger
    let graceIdlePasses: Int
    /// Lines per transaction, at most.
    static let maxBatchLines = 5000
    /// Bytes of a file's start that its fingerprint covers, at most.
    static let fingerprintBytes = 1024
    /// Rejected lines logged one by one per batch (the rest are counted in one message).
    static let loggedRejections = 20
    /// Bytes read at a time: a line longer than this (`server.max_line_bytes`) is rejected.
    let maxLineBytes: Int
    /// Name endings of compressed rotations (never read as lines).
    static let compressedSuffixes = [".gz", ".bz2", ".xz", ".zst", ".lz4", ".z", ".Z", ".zip"]
    /// When the tailer started (microseconds since the epoch): rotated copies older than this are not read.
    let startedAt: Int64

    private var follows: [FileIdentity: Follow] = [:]
    private var resolved: (ModelConfiguration, Int64)?
    private var bentoSchema: BentoMLSchema?
    private var warnedNoSchema = false
    private var warnedNoModel = false
    /// Files next to the followed ones that were followed or judged already, with their directory.
    private var seen: [FileIdentity: String] = [:]

    init(model: String, source: TailSource, environment: AgentEnvironment, logger: Logger, graceIdlePasses: Int = 8) {
        self.model = model
        self.source = source
        self.environment = environment
        self.logger = logger
        self.graceIdlePasses = graceIdlePasses
        maxLineBytes = max(1024, environment.configuration.server.maxLineBytes)
        startedAt = WallClock.microseconds()
    }

    /// One followed file and where it is read. `@unchecked Sendable`: used by the tailer's one task and,
    /// while that task waits, in its blocking work on the executor.
    final class Follow: @unchecked Sendable {
        let file: TailedFile
        /// The path it was last seen by.
        var path: String
        /// The stored offset row as last seen (nil: none yet).
        var row: TailOffsetStore.Offset?
        /// Where reading goes on: `row`, or the start after a rewind not committed yet.
        var next: TailOffsetStore.Offset
        /// Whether the glob matched it in the latest pass.
        var attached = true
        /// Passes in a row that found nothing complete to read.
        var idlePasses = 0
        var lastSize: Int64 = -1
        /// For the copy a copytruncate left: the original's key, path and stored place, checked unchanged in
        /// the copy's first commit (so the copy goes on exactly where the original was left).
        var anchor: (key: TailOffsetStore.Key, path: String, offset: TailOffsetStore.Offset)?
        /// The copy this (truncated) original waits for before it reads its new content.
        var waitsFor: FileIdentity?
        /// Passes it has waited for that copy.
        var waitedPasses = 0

        init(file: TailedFile, path: String, row: TailOffsetStore.Offset?) {
            self.file = file
            self.path = path
            self.row = row
            next = row ?? .start
        }
    }

    /// Lines read from a file and decoded, with the offset they end at.
    struct Batch: Sendable {
        var to: TailOffsetStore.Offset
        var predictions: [PredictionRecord] = []
        var labels: [LabelStore.Record] = []
        var rejections: [(line: Int64, field: String?, message: String)] = []
        var lines = 0
        /// The line of each prediction or label, in their order.
        var recordLines: [Int64] = []
    }

    /// Runs `body` on the blocking executor (file work stays off the cooperative pool); the tailer's task
    /// awaits it, so its calls run one at a time.
    func io<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingExecutor.shared.run(body)
    }

    func key(_ identity: FileIdentity, modelID: Int64) -> TailOffsetStore.Key {
        TailOffsetStore.Key(
            modelID: modelID, kind: source.kind.rawValue, device: identity.device, inode: identity.inode)
    }

    /// Files followed now and bytes not ingested yet.
    var lag: (files: Int, bytes: Int64) {
        (follows.count, follows.values.reduce(0) { $0 + max(0, $1.lastSize - $1.next.byteOffset) })
    }

    /// One pass: discover files, read and store what is new, let go of rotated files read to their end.
    func pass() async throws {
        guard let (configuration, modelID) = try await resolveModel() else { return }
        if source.format == .bentoml && bentoSchema == nil {
            let directory = source.path
            bentoSchema = try await io { BentoMLSchema.load(monitorDirectory: directory) }
            guard bentoSchema != nil else {
                if !warnedNoSchema {
                    warnedNoSchema = true
                    logger.warning(
                        "waiting for the BentoML monitor's schema log before reading its data",
                        metadata: ["model": "\(model)", "directory": "\(directory)/schema"])
                }
                return
            }
        }
        let matched = try await discover(modelID: modelID)
        try await adoptUnseenCopies(next: matched, modelID: modelID)
        // Copies left by a copytruncate first: their originals wait for them.
        let order = follows.sorted { a, b in
            (a.value.anchor == nil ? 1 : 0, a.value.path) < (b.value.anchor == nil ? 1 : 0, b.value.path)
        }.map(\.key)
        var failure: (any Error)?
        for identity in order {
            guard let follow = follows[identity] else { continue }
            let progressed: Bool
            do {
                progressed = try await drain(follow, configuration: configuration, modelID: modelID)
            } catch let error as TailError {
                // One unreadable file does not hold up the others. A rotated one will not come back: let go.
                if follow.attached {
                    failure = failure ?? error
                } else {
                    follows[identity] = nil
                    logger.error(
                        "cannot read a rotated log file any more; its unread lines are lost",
                        metadata: [
                            "model": "\(model)", "file": "\(follow.path)", "offset": "\(follow.next.byteOffset)",
                            "error": "\(error)",
                        ])
                }
                continue
            }
            follow.idlePasses = progressed ? 0 : follow.idlePasses + 1
            if !follow.attached && follow.idlePasses >= graceIdlePasses && follow.anchor == nil {
                follows[identity] = nil
                logger.info(
                    "let go of a rotated log file read to its end",
                    metadata: ["model": "\(model)", "file": "\(follow.path)", "offset": "\(follow.next.byteOffset)"])
            }
        }
        let (files, bytes) = lag
        environment.metrics.publishTail(model: model, kind: source.kind.rawValue, lagBytes: bytes, files: files)
        if let failure { throw failure }
    }

    func resolveModel() async throws -> (ModelConfiguration, Int64)? {
        if let resolved { return resolved }
        resolved = try await environment.findModel(model)
        if resolved == nil && !warnedNoModel {
            warnedNoModel = true
            logger.error("a tail source names a model that does not exist", metadata: ["model": "\(model)"])
        }
        return resolved
    }

    /// Globs the source, marks which followed files it still matches, and starts following new ones;
    /// returns the paths it matched and what they name.
    func discover(modelID: Int64) async throws -> [(path: String, identity: FileIdentity)] {
        let pattern = source.fileGlob
        let found = try await io { () -> [(String, FileIdentity)] in
            FileGlob.paths(pattern).compactMap { path in TailedFile.identity(of: path).map { (path, $0) } }
        }
        var matched = Set<FileIdentity>()
        for (path, identity) in found {
            matched.insert(identity)
            if let follow = follows[identity] {
                follow.path = path
                continue
            }
            let follow: Follow
            do {
                follow = try await io { Follow(file: try TailedFile(path: path), path: path, row: nil) }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning(
                    "cannot open a log file to follow", metadata: ["model": "\(model)", "error": "\(error)"])
                continue
            }
            // Replaced between the glob and the open: follow what was opened.
            guard follows[follow.file.identity] == nil else { continue }
            matched.insert(follow.file.identity)
            let key = self.key(follow.file.identity, modelID: modelID)
            let row = try await environment.pool.withConnection(purpose: "read tail offset") {
                try TailOffsetStore.find(key, on: $0)
            }
            follow.row = row
            follow.next = row ?? .start
            follows[follow.file.identity] = follow
            seen[follow.file.identity] = Self.directory(of: path)
            logger.info(
                "following a log file",
                metadata: [
                    "model": "\(model)", "kind": "\(source.kind.rawValue)", "file": "\(path)",
                    "offset": "\(follow.next.byteOffset)",
                ])
        }
        for (identity, follow) in follows { follow.attached = matched.contains(identity) }
        return found.map { (path: $0.0, identity: $0.1) }
    }

    /// The directory part of `path` ("." for a bare name).
    static func directory(of path: String) -> String {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : directory
    }

    /// The last component of `path`.
    static func name(of path: String) -> String {
        String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
    }

    /// Starts following the rotated copies of the files the glob matched (`matched`) that the tailer never
    /// saw: named like one of them with a suffix (`app.jsonl.1`, `app.jsonl-20261123`), not compressed,
    /// changed since the tailer started, neither followed nor judged before. Such a copy holds lines written
    /// between two passes, after which the file was truncated (again) — unless it starts like a followed
    /// file does now (a copy whose original is not truncated yet) or did where it was stored (the copy the
    /// original's truncation check finds and reads from that offset on): those are left alone. The others
    /// are read from their start, or their stored offset when another agent or an earlier run read them.
    func adoptUnseenCopies(next matched: [(path: String, identity: FileIdentity)], modelID: Int64) async throws {
        guard !matched.isEmpty else { return }
        var names: [String: [String]] = [:]
        for (path, _) in matched { names[Self.directory(of: path), default: []].append(Self.name(of: path)) }
        let globbed = Set(matched.map(\.identity))
        let directories = names
        let since = startedAt - 1_000_000
        let (present, copies) = try await io { () -> ([String: Set<FileIdentity>], [TailedFile]) in
            var present: [String: Set<FileIdentity>] = [:]
            var copies: [TailedFile] = []
            for (directory, bases) in directories {
                for path in FileGlob.files(in: directory) {
                    guard let (identity, size, modified) = TailedFile.status(of: path) else { continue }
                    present[directory, default: []].insert(identity)
                    let name = Self.name(of: path)
                    guard !globbed.contains(identity), self.follows[identity] == nil, self.seen[identity] == nil,
                        bases.contains(where: { name.count > $0.count && name.hasPrefix($0) }),
                        !Self.compressedSuffixes.contains(where: { name.hasSuffix($0) }),
                        size > 0, modified >= since,
                        let file = try? TailedFile(path: path), file.identity == identity,
                        !self.startsLikeAFollowedFile(file, size: size)
                    else { continue }
                    copies.append(file)
                }
            }
            return (present, copies)
        }
        // Forget what is gone from the directories looked at (an inode may be reused).
        seen = seen.filter { identity, directory in
            follows[identity] != nil || present[directory].map { $0.contains(identity) } ?? true
        }
        for file in copies {
            seen[file.identity] = Self.directory(of: file.openedPath)
            let key = self.key(file.identity, modelID: modelID)
            let row = try await environment.pool.withConnection(purpose: "read tail offset") {
                try TailOffsetStore.find(key, on: $0)
            }
            let copy = Follow(file: file, path: file.openedPath, row: row)
            copy.attached = false
            follows[file.identity] = copy
            logger.info(
                "reading a rotated copy of a log file that was truncated before its content was read",
                metadata: ["model": "\(model)", "copy": "\(file.openedPath)", "offset": "\(copy.next.byteOffset)"])
        }
    }

    /// Whether `file` (`size` bytes) starts like a followed file did where its offset was stored, or like
    /// one attached to the glob does now (on the executor).
    func startsLikeAFollowedFile(_ file: TailedFile, size: Int64) -> Bool {
        let length = Int(min(size, Int64(Self.fingerprintBytes)))
        let head = try? file.fingerprint(length: length)
        for follow in follows.values {
            if let row = follow.row, row.fingerprintLength > 0,
                (try? file.fingerprint(length: row.fingerprintLength)) == row.fingerprint
            {
                return true
            }
            if follow.attached, let head, (try? follow.file.fingerprint(length: length)) == head { return true }
        }
        return false
    }

    /// Reads and stores `follow`'s complete lines until none are left (or a claim is lost); true when
    /// something was stored.
    func drain(_ follow: Follow, configuration: ModelConfiguration, modelID: Int64) async throws -> Bool {
        if let copy = try await io({ try self.check(follow) }) {
            try await adoptCopy(copy, of: follow, modelID: modelID)
        }
        if let waited = follow.waitsFor {
            if follows[waited]?.anchor != nil && follow.waitedPasses < max(graceIdlePasses, 2) {
                follow.waitedPasses += 1
                return false
            }
            if follows[waited]?.anchor != nil {
                // Its first commit would have cleared the anchor on the first pass: something is wrong with
                // it. Go on with this file; the copy's claim then fails and it is let go.
                logger.error(
                    "gave up waiting for the copy of a truncated log file; lines only the copy holds may be lost",
                    metadata: ["model": "\(model)", "file": "\(follow.path)"])
            }
            follow.waitsFor = nil
            follow.waitedPasses = 0
        }
        var progressed = false
        while true {
            let decoder = LineDecoder(
                source: source, configuration: configuration, schema: bentoSchema, now: environment.clock(),
                maxFutureSkewSeconds: environment.configuration.server.maxFutureSkewSeconds)
            let limit = maxLineBytes
            guard let batch = try await io({ try self.read(follow, decoder: decoder, maxLineBytes: limit) }) else {
                guard follow.anchor != nil else { return progressed }
                // A copy with nothing complete after where the original was left: claim it all the same, so
                // the original can go on.
                guard try await commit(Batch(to: follow.next), follow, modelID: modelID) else {
                    try await reload(follow, modelID: modelID)
                    return progressed
                }
                return true
            }
            guard try await commit(batch, follow, modelID: modelID) else {
                try await reload(follow, modelID: modelID)
                return progressed
            }
            progressed = true
            if batch.lines < Self.maxBatchLines { return progressed }
        }
    }

    /// Checks `follow` against its file (on the executor): a file shorter than the offset, or whose first
    /// bytes no longer match the fingerprint, is read again from its start; returns the copy a
    /// copytruncate left next to it, if one is found.
    func check(_ follow: Follow) throws -> TailedFile? {
        let (size, _) = try follow.file.status()
        defer { follow.lastSize = size }
        var reason: String?
        if size < follow.next.byteOffset {
            reason = "the file was truncated"
        } else if follow.next.fingerprintLength > 0,
            try follow.file.fingerprint(length: follow.next.fingerprintLength) != follow.next.fingerprint
        {
            // Compared on every pass, whatever the size: a file truncated and written again between two
            // passes may be exactly as long as before.
            reason = "the file's first bytes changed"
        }
        guard let reason else { return nil }
        // A copy was being read: its content is not what the original left; stop following it.
        if follow.anchor != nil {
            follow.anchor = nil
            follow.attached = false
            follow.next = TailOffsetStore.Offset(
                byteOffset: size, lineNumber: follow.next.lineNumber, fingerprint: follow.next.fingerprint,
                fingerprintLength: follow.next.fingerprintLength)
            return nil
        }
        logger.info(
            "reading a log file again from its start",
            metadata: ["model": "\(model)", "file": "\(follow.path)", "reason": "\(reason)"])
        let was = follow.row
        follow.next = .start
        guard let was, was.byteOffset > 0 else { return nil }
        guard let copy = findCopy(of: follow, at: was) else {
            logger.warning(
                "no copy of a truncated log file found next to it; lines written after its stored offset before the truncation, if any, are lost",
                metadata: ["model": "\(model)", "file": "\(follow.path)", "offset": "\(was.byteOffset)"])
            return nil
        }
        return copy
    }

    /// The file next to `follow` whose first bytes are those `offset` was fingerprinted on and which is at
    /// least that long: the copy a copytruncate rotation made just before truncating.
    func findCopy(of follow: Follow, at offset: TailOffsetStore.Offset) -> TailedFile? {
        for path in FileGlob.files(in: Self.directory(of: follow.path)) {
            guard let identity = TailedFile.identity(of: path), identity != follow.file.identity,
                follows[identity] == nil, let file = try? TailedFile(path: path),
                let size = try? file.status().size, size >= offset.byteOffset,
                (try? file.fingerprint(length: offset.fingerprintLength)) == offset.fingerprint
            else { continue }
            return file
        }
        return nil
    }

    /// Follows the copy of a truncated file from where the original was left, once the copy's first
    /// commit has checked the original's row unchanged.
    func adoptCopy(_ file: TailedFile, of original: Follow, modelID: Int64) async throws {
        guard let was = original.row, follows[file.identity] == nil else { return }
        let key = self.key(file.identity, modelID: modelID)
        let row = try await environment.pool.withConnection(purpose: "read tail offset") {
            try TailOffsetStore.find(key, on: $0)
        }
        let copy = Follow(file: file, path: file.openedPath, row: row)
        copy.attached = false
        seen[file.identity] = Self.directory(of: file.openedPath)
        if row == nil {
            copy.next = was
            copy.anchor = (self.key(original.file.identity, modelID: modelID), original.path, was)
            original.waitsFor = file.identity
        }
        follows[file.identity] = copy
        logger.info(
            "reading the rest of a truncated log file from its copy",
            metadata: ["model": "\(model)", "file": "\(original.path)", "copy": "\(file.openedPath)"])
    }

    /// Reads the complete lines after `follow.next` (on the executor), at most `maxBatchLines`; nil when there
    /// is none.
    func read(_ follow: Follow, decoder: LineDecoder, maxLineBytes: Int) throws -> Batch? {
        let start = follow.next
        // The first bytes before and after the lines are read: a file truncated and written again meanwhile
        // (they differ) is read on the next pass, once its check has seen it; so the lines and the
        // fingerprint stored with their offset are of the same content.
        let before = try follow.file.read(at: 0, count: Self.fingerprintBytes)
        guard before.count >= start.fingerprintLength,
            before.prefix(start.fingerprintLength).withUnsafeBytes({ Fingerprint.hash($0) }) == start.fingerprint
        else { return nil }
        var offset = start.byteOffset
        var batch = Batch(to: start)
        var line = start.lineNumber
        let chunkBytes = maxLineBytes + 1
        reading: while batch.lines < Self.maxBatchLines {
            let chunk = try follow.file.read(at: offset, count: chunkBytes)
            var from = 0
            while batch.lines < Self.maxBatchLines, let newline = chunk[from...].firstIndex(of: 0x0A) {
                line += 1
                batch.lines += 1
                decoder.decode(chunk[from..<newline], line: line, into: &batch)
                from = newline + 1
            }
            if from == 0 {
                // No complete line: a partial last line waits, unless it is already too long.
                guard chunk.count == chunkBytes, let end = try skipLine(follow.file, from: offset + Int64(chunkBytes))
                else { break reading }
                line += 1
                batch.lines += 1
                batch.rejections.append((line, nil, "the line is longer than server.max_line_bytes (\(maxLineBytes))"))
                offset = end
                continue
            }
            offset += Int64(from)
            if chunk.count < chunkBytes { break }
        }
        guard offset > start.byteOffset else { return nil }
        let length = max(start.fingerprintLength, Int(min(offset, Int64(Self.fingerprintBytes))))
        let after = try follow.file.read(at: 0, count: length)
        guard after.count == length, after.prefix(before.count).elementsEqual(before.prefix(length)) else {
            return nil
        }
        batch.to = TailOffsetStore.Offset(
            byteOffset: offset, lineNumber: line, fingerprint: after.withUnsafeBytes { Fingerprint.hash($0) },
            fingerprintLength: length)
        return batch
    }

    /// The offset just past the next newline at or after `offset`, or nil when the line does not end yet.
    func skipLine(_ file: TailedFile, from offset: Int64) throws -> Int64? {
        var position = offset
        while true {
            let chunk = try file.read(at: position, count: 1 << 16)
            if let newline = chunk.firstIndex(of: 0x0A) { return position + Int64(newline) + 1 }
            if chunk.count < 1 << 16 { return nil }
            position += Int64(chunk.count)
        }
    }

    /// Stores `batch` and moves the file's offset row in one transaction; false when the row had moved
    /// (another agent stored those lines) and nothing was stored.
    func commit(_ batch: Batch, _ follow: Follow, modelID: Int64) async throws -> Bool {
        let key = self.key(follow.file.identity, modelID: modelID)
        let (path, from, to, anchor) = (follow.path, follow.row, batch.to, follow.anchor)
        let claim: @Sendable (PostgresConnection) throws -> Bool = { connection in
            if let anchor {
                guard
                    try TailOffsetStore.advance(
                        anchor.key, path: anchor.path, from: anchor.offset, to: anchor.offset, on: connection)
                else { return false }
            }
            return try TailOffsetStore.advance(key, path: path, from: from, to: to, on: connection)
        }
        var batch = batch
        let stored: Bool
        do {
            stored = try await store(batch, modelID: modelID, claim: claim)
        } catch let error as PostgresError where error.refusesData {
            // The database refuses something in the batch: each line is stored alone (storing is idempotent),
            // those it refuses are logged with their file:line and skipped, and the offset moves on.
            batch = try await storeLineByLine(batch, modelID: modelID)
            stored = try await store(Batch(to: batch.to), modelID: modelID, claim: claim)
        }
        guard stored else { return false }
        follow.row = to
        follow.next = to
        follow.anchor = nil
        let ingested = batch.predictions.count + batch.labels.count
        environment.metrics.countTailLines(
            model: model, kind: source.kind.rawValue, ingested: ingested, rejected: batch.rejections.count)
        for r in batch.rejections.prefix(Self.loggedRejections) {
            logger.warning(
                "skipped a bad line of a followed log file",
                metadata: [
                    "model": "\(model)", "file": "\(path):\(r.line)", "field": "\(r.field ?? "-")",
                    "message": "\(r.message)",
                ])
        }
        if batch.rejections.count > Self.loggedRejections {
            logger.warning(
                "skipped more bad lines of a followed log file",
                metadata: [
                    "model": "\(model)", "file": "\(path)",
                    "count": "\(batch.rejections.count - Self.loggedRejections)",
                ])
        }
        return true
    }

    /// Stores the batch's records and runs `claim` in one transaction; false when the claim failed.
    func store(
        _ batch: Batch, modelID: Int64, claim: @escaping @Sendable (PostgresConnection) throws -> Bool
    ) async throws -> Bool {
        let purpose = "store tailed \(source.kind.rawValue)"
        switch source.kind {
        case .predictions:
            return try await environment.storePredictions(
                batch.predictions, model: model, modelID: modelID, purpose: purpose, claim: claim) != nil
        case .labels:
            return try await environment.storeLabels(batch.labels, modelID: modelID, purpose: purpose, claim: claim)
                != nil
        }
    }

    /// Stores each record of `batch` on its own; a record the database refuses becomes a rejection with
    /// its line. Returns the batch with no records left to store and the refused ones added to its rejections.
    func storeLineByLine(_ batch: Batch, modelID: Int64) async throws -> Batch {
        var rest = Batch(to: batch.to)
        rest.rejections = batch.rejections
        rest.lines = batch.lines
        let always: @Sendable (PostgresConnection) throws -> Bool = { _ in true }
        let count = source.kind == .predictions ? batch.predictions.count : batch.labels.count
        for i in 0..<count {
            var one = Batch(to: batch.to)
            if source.kind == .predictions {
                one.predictions = [batch.predictions[i]]
            } else {
                one.labels = [batch.labels[i]]
            }
            do {
                _ = try await store(one, modelID: modelID, claim: always)
            } catch let error as PostgresError where error.refusesData {
                let line = i < batch.recordLines.count ? batch.recordLines[i] : 0
                rest.rejections.append((line, nil, "the database refused the line: \(error.message)"))
            }
        }
        rest.rejections.sort { $0.line < $1.line }
        return rest
    }

    /// After a lost claim: takes the stored row as it is now (a copy whose original moved on is dropped).
    func reload(_ follow: Follow, modelID: Int64) async throws {
        let key = self.key(follow.file.identity, modelID: modelID)
        let anchorKey = follow.anchor?.key
        let (row, anchorRow) = try await environment.pool.withConnection(purpose: "read tail offset") { c in
            (try TailOffsetStore.find(key, on: c), try anchorKey.flatMap { try TailOffsetStore.find($0, on: c) })
        }
        follow.row = row
        follow.next = row ?? .start
        follow.lastSize = -1  // the next check verifies the fingerprint
        guard let anchor = follow.anchor else { return }
        if row != nil {
            follow.anchor = nil  // another agent claimed the copy first
        } else if let anchorRow {
            // The original moved on before it was truncated: go on from there. The next check drops the
            // copy if its content does not match, and the commit checks the original's row again.
            follow.anchor = (anchor.key, anchor.path, anchorRow)
            follow.next = anchorRow
        } else {
            follow.anchor = nil
            follows[follow.file.identity] = nil
        }
    }
}
