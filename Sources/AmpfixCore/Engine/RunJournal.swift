/// A run's journal replayed into its current state.
public struct RunJournal: Sendable {
    public enum Progress: Sendable, Equatable {
        case pending, intended, done, failed(Message), skipped(Message)
    }

    public enum RevertProgress: Sendable, Equatable {
        case intended, reverted, failed(Message), skipped(Message)
    }

    public var run: String
    public var actions: [Action] = []
    public var policy: InterruptPolicy = .complete
    public var command: [String] = []
    public var started: String = ""
    public var progress: [Progress] = []
    public var ended = false
    public var undoStarted = false
    public var undoEnded = false
    public var reverts: [Int: RevertProgress] = [:]
    /// What each done change made, and what each failed one left, as their records say.
    public var made: [Int: [String]] = [:]
    /// A torn last line (the process died mid-write) that was ignored.
    public var tornTail = false

    /// The run stopped before its end record, or its undo stopped before the undo's end.
    public var interrupted: Bool { !ended || (undoStarted && !undoEnded) }

    /// Whether anything of this run is on the host now and could be reverted.
    public var hasChanges: Bool { progress.indices.contains(where: leftSomething) }

    /// Reverts that failed (a read-only mount, a full disk): they stay to be retried by the
    /// next undo, and the run is not undone while any is left.
    public var failedReverts: [Int] {
        reverts.compactMap { seq, progress in
            if case .failed = progress { return seq }
            return nil
        }.sorted()
    }

    /// The undo ran to its end and nothing it tried failed.
    public var undoComplete: Bool { undoEnded && failedReverts.isEmpty }

    /// Whether action `seq` changed the host: done, or failed part way with what it left recorded.
    public func leftSomething(_ seq: Int) -> Bool {
        switch progress[seq] {
        case .done: return true
        case .failed: return made[seq]?.isEmpty == false
        default: return false
        }
    }

    public init(run: String, lines: [String], location: String) throws {
        self.run = run
        var sawBegin = false
        let last = lines.count - 1
        for (index, line) in lines.enumerated() {
            // Empty: the end of a file whose last record is whole. Elsewhere ampfix never
            // writes one: a file of blank lines is no journal to read for minutes.
            if line.isEmpty {
                if index == last { continue }
                throw Self.damaged(location, line: index + 1, .msg("an empty line, which ampfix never writes"))
            }
            guard index < Self.mostRecords else {
                throw Self.damaged(location, line: nil, .msg("more than \(Self.mostRecords) records, more than a run writes"))
            }
            let record: JournalRecord
            do {
                record = try JSONCoding.decode(JournalRecord.self, from: line.utf8)
            } catch {
                // Torn: the start of a record a crash cut short, the last line without its
                // newline — or the only line of a file whose begin record never became whole.
                // Anything else (a terminated line that is no record, NUL bytes, text) is damage.
                let alone = index == 0 && (index == last || (index == last - 1 && lines[last].isEmpty))
                if (index == last || alone) && Self.isCutRecord(line) { tornTail = true; break }
                throw Self.damaged(location, line: index + 1, .msg("not a journal record"))
            }
            if !sawBegin && record.type != .begin {
                throw JournalError(.msg("cannot read journal \(location):\(index + 1): first record is '\(record.type.rawValue)', expected 'begin'"))
            }
            func checkedSeq() throws -> Int {
                guard let seq = record.seq, progress.indices.contains(seq) else {
                    throw JournalError(.msg("cannot read journal \(location):\(index + 1): '\(record.type.rawValue)' names no planned action"))
                }
                return seq
            }
            switch record.type {
            case .begin:
                // One run, one begin: a second would replace the plan the progress so far names.
                if sawBegin {
                    throw JournalError(.msg("cannot read journal \(location):\(index + 1): a second 'begin' record; a journal holds one run. Inspect the file, then move it out of the journal directory to go on without that run"))
                }
                sawBegin = true
                actions = record.actions ?? []
                policy = record.onInterrupt ?? .complete
                command = record.command ?? []
                started = record.time
                progress = Array(repeating: .pending, count: actions.count)
            case .intent: progress[try checkedSeq()] = .intended
            case .done:
                let seq = try checkedSeq()
                progress[seq] = .done
                made[seq] = record.made
            case .failed:
                let seq = try checkedSeq()
                progress[seq] = .failed(record.why)
                made[seq] = record.made
            case .skipped: progress[try checkedSeq()] = .skipped(record.why)
            case .end: ended = true
            case .undoBegin: undoStarted = true
            case .revertIntent: reverts[try checkedSeq()] = .intended
            case .reverted: reverts[try checkedSeq()] = .reverted
            case .revertFailed: reverts[try checkedSeq()] = .failed(record.why)
            case .revertSkipped: reverts[try checkedSeq()] = .skipped(record.why)
            case .undoEnd: undoEnded = true
            }
        }
        if !sawBegin {
            // Only an empty file or the cut start of a record is a run that died at its first
            // write, before any change. NUL bytes or text that is no JSON (a file zeroed or
            // overwritten after the fact) may have held a run that changed things: they were
            // refused above, not set aside as if that run had changed nothing.
            throw JournalWithoutBegin(run: run, location: location)
        }
    }
}

extension RunJournal {
    /// A journal that may hold changes ampfix cannot read: named with what is wrong and what to do.
    static func damaged(_ location: String, line: Int?, _ what: Message) -> JournalError {
        let place = line.map { "\(location):\($0)" } ?? location
        // TRANSLATORS: %1$s is the journal file (and line), %2$s what is wrong with it.
        return JournalError(.msg("cannot read journal \(place): \(what); ampfix cannot tell what that run changed. Inspect the file, then move it out of the journal directory to go on without that run"))
    }

    /// The most records a journal may hold: a run writes a few per change, and changes are tens.
    static let mostRecords = 100_000

    /// Whether `line` can be the start of a record cut short by a crash: JSON text of an object,
    /// which holds no control byte (JSON escapes them).
    static func isCutRecord(_ line: String) -> Bool {
        line.utf8.first == UInt8(ascii: "{") && line.utf8.allSatisfy { $0 >= 0x20 }
    }
}

extension JournalStore {
    public func journal(of run: String) throws -> RunJournal {
        try RunJournal(run: run, lines: lines(of: run), location: location(of: run))
    }
}
