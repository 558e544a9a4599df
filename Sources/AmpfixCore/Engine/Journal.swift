#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What to do with a run that was interrupted (kill -9, power loss) before its end record.
public enum InterruptPolicy: String, Codable, Sendable {
    /// Finish the plan: apply what is still in its before state. Right for repairs the user asked for.
    case complete
    /// Put back everything the run changed. Right for temporary changes (login.defs while an
    /// installer runs).
    case rollback
}

/// One line of a run journal.
public struct JournalRecord: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case begin, intent, done, failed, skipped, end
        case undoBegin = "undo-begin"
        case revertIntent = "revert-intent"
        case reverted
        case revertFailed = "revert-failed"
        case revertSkipped = "revert-skipped"
        case undoEnd = "undo-end"
    }

    public var type: Kind
    public var time: String
    public var seq: Int?
    /// The whole plan, on `begin`, so that an interrupted run can be finished or undone.
    public var actions: [Action]?
    public var onInterrupt: InterruptPolicy?
    public var command: [String]?
    public var message: String?
    /// On `done`: what the change made, read back (`ChangeApplier.record(of:)`).
    public var made: [String]?

    public init(type: Kind, time: String, seq: Int? = nil, actions: [Action]? = nil, onInterrupt: InterruptPolicy? = nil, command: [String]? = nil,
                message: String? = nil, made: [String]? = nil) {
        self.made = made
        self.type = type
        self.time = time
        self.seq = seq
        self.actions = actions
        self.onInterrupt = onInterrupt
        self.command = command
        self.message = message
    }
}

extension JournalRecord {
    /// Whether `bytes` hold one whole record (a crash can cut the last one short).
    public static func isWhole(_ bytes: [UInt8]) -> Bool {
        (try? JSONDecoder().decode(JournalRecord.self, from: Data(bytes))) != nil
    }
}

public struct JournalError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A journal with no whole `begin` record: the process died at its first write (or the disk was
/// full), or the file is not ampfix's. The begin record is made durable before any change, so
/// such a run changed nothing; it is set aside, never allowed to block later runs.
public struct JournalWithoutBegin: Error, CustomStringConvertible {
    public var run: String
    public var location: String
    public var description: String { "journal \(location) has no whole 'begin' record (that run changed nothing)" }
}

/// A run's journal replayed into its current state.
public struct RunJournal: Sendable {
    public enum Progress: Sendable, Equatable {
        case pending, intended, done, failed(String), skipped(String)
    }

    public enum RevertProgress: Sendable, Equatable {
        case intended, reverted, failed(String), skipped(String)
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
        let decoder = JSONDecoder()
        var sawBegin = false
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let record: JournalRecord
            do {
                record = try decoder.decode(JournalRecord.self, from: Data(line.utf8))
            } catch {
                if index == lines.count - 1 { tornTail = true; break }
                throw JournalError("cannot read journal \(location):\(index + 1): not a journal record; ampfix cannot tell what that run changed. Inspect the file, then move it out of the journal directory to go on without that run")
            }
            if !sawBegin && record.type != .begin {
                throw JournalError("cannot read journal \(location):\(index + 1): first record is '\(record.type.rawValue)', expected 'begin'")
            }
            func checkedSeq() throws -> Int {
                guard let seq = record.seq, progress.indices.contains(seq) else {
                    throw JournalError("cannot read journal \(location):\(index + 1): '\(record.type.rawValue)' names no planned action")
                }
                return seq
            }
            switch record.type {
            case .begin:
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
                progress[seq] = .failed(record.message ?? "")
                made[seq] = record.made
            case .skipped: progress[try checkedSeq()] = .skipped(record.message ?? "")
            case .end: ended = true
            case .undoBegin: undoStarted = true
            case .revertIntent: reverts[try checkedSeq()] = .intended
            case .reverted: reverts[try checkedSeq()] = .reverted
            case .revertFailed: reverts[try checkedSeq()] = .failed(record.message ?? "")
            case .revertSkipped: reverts[try checkedSeq()] = .skipped(record.message ?? "")
            case .undoEnd: undoEnded = true
            }
        }
        if !sawBegin {
            throw JournalWithoutBegin(run: run, location: location)
        }
    }
}

/// Writes one run's records, each made durable before the caller goes on.
public struct JournalWriter {
    public let store: any JournalStore
    public let run: String
    private let encoder: JSONEncoder

    public init(store: any JournalStore, run: String) {
        self.store = store
        self.run = run
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    public func write(_ type: JournalRecord.Kind, seq: Int? = nil, actions: [Action]? = nil, onInterrupt: InterruptPolicy? = nil, command: [String]? = nil,
                      message: String? = nil, made: [String]? = nil) throws {
        let record = JournalRecord(type: type, time: store.now().iso8601, seq: seq, actions: actions, onInterrupt: onInterrupt, command: command,
                                   message: message, made: made)
        let data = try encoder.encode(record)
        try store.append(String(decoding: data, as: UTF8.self), to: run)
    }
}

extension JournalStore {
    public func journal(of run: String) throws -> RunJournal {
        try RunJournal(run: run, lines: lines(of: run), location: location(of: run))
    }
}
