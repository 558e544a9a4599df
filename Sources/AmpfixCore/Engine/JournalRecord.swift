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
    /// `reason` in English, for a reader of the file (and what a journal written before
    /// `reason` existed has alone).
    public var message: String?
    /// Why a change failed, was skipped or was already there, as a message (rendered in the
    /// language of the report that shows it).
    public var reason: Message?
    /// On `done`: what the change made, read back (`ChangeApplier.record(of:)`).
    public var made: [String]?

    public init(type: Kind, time: String, seq: Int? = nil, actions: [Action]? = nil, onInterrupt: InterruptPolicy? = nil, command: [String]? = nil,
                reason: Message? = nil, made: [String]? = nil) {
        self.made = made
        self.type = type
        self.time = time
        self.seq = seq
        self.actions = actions
        self.onInterrupt = onInterrupt
        self.command = command
        self.message = reason?.description
        self.reason = reason
    }
}

extension JournalRecord {
    /// The record's reason: its message, or the English text of a record written before
    /// reasons were messages.
    public var why: Message { reason ?? .verbatim(message ?? "") }

    /// Whether `bytes` hold one whole record (a crash can cut the last one short).
    public static func isWhole(_ bytes: [UInt8]) -> Bool {
        (try? JSONCoding.decode(JournalRecord.self, from: bytes)) != nil
    }
}
