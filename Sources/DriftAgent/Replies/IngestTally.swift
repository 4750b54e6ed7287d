import DriftCore
import DriftTables

/// The reply of the ingest routes: how many lines were accepted (and, for predictions, how many were
/// duplicates or late), and the first rejected lines with their field and reason.
struct IngestTally: JSONWritable, Sendable {
    /// One rejected line.
    struct Rejection: JSONWritable, Sendable {
        let line: Int
        let field: String?
        let message: String

        func writeMembers(to w: inout JSONWriter) {
            w.integer("line", line)
            w.string("field", field)
            w.string("message", message)
        }
    }

    /// At most this many rejections are listed; `rejected_count` counts them all.
    static let reportedRejections = 100

    /// Predictions report duplicates and late events; labels do not.
    let countsDuplicates: Bool
    var accepted = 0
    var duplicates = 0
    /// Events stored after their window had closed.
    var late = 0
    var rejected: [Rejection] = []
    var rejectedCount = 0

    init(countsDuplicates: Bool) { self.countsDuplicates = countsDuplicates }

    mutating func reject(_ line: Int, _ problem: EventProblem) {
        rejectedCount += 1
        if rejected.count < Self.reportedRejections {
            rejected.append(Rejection(line: line, field: problem.field, message: problem.message))
        }
    }

    func writeMembers(to w: inout JSONWriter) {
        w.integer("accepted", accepted)
        if countsDuplicates {
            w.integer("duplicates", duplicates)
            w.integer("late", late)
        }
        w.integer("rejected_count", rejectedCount)
        w.array("rejected", rejected)
    }
}
