/// What happened, or would happen, to one planned action.
public enum ActionOutcome: Sendable, Equatable {
    case planned
    case wouldFail(Message)
    case applied
    case alreadyInPlace
    case failed(Message)
    case skipped(Message)

    /// The outcome's stable name in reports.
    public enum Label: String, Codable, Sendable {
        case planned
        case wouldFail = "would-fail"
        case applied
        case alreadyInPlace = "already-in-place"
        case failed
        case skipped
    }

    public var label: Label {
        switch self {
        case .planned: return .planned
        case .wouldFail: return .wouldFail
        case .applied: return .applied
        case .alreadyInPlace: return .alreadyInPlace
        case .failed: return .failed
        case .skipped: return .skipped
        }
    }

    public var reason: Message? {
        switch self {
        case .wouldFail(let r), .failed(let r), .skipped(let r): return r
        default: return nil
        }
    }
}

/// What undo did with one action of a run.
public enum RevertOutcome: Sendable, Equatable {
    /// `ampfix undo --dry-run`: it would be reverted.
    case planned
    /// `ampfix undo --dry-run`: reverting it would fail (the applier's precondition says why).
    case wouldFail(Message)
    case reverted
    /// The object was already back in its before state.
    case alreadyReverted
    case notReversible
    case skipped(Message)
    case failed(Message)

    /// The object is in its before state again (whoever put it there).
    public var restored: Bool { self == .reverted || self == .alreadyReverted }

    public var label: String {
        switch self {
        case .planned: return "planned"
        case .wouldFail: return "would-fail"
        case .reverted: return "reverted"
        case .alreadyReverted: return "already-reverted"
        case .notReversible: return "not-reversible"
        case .skipped: return "skipped"
        case .failed: return "failed"
        }
    }

    public var reason: Message? {
        switch self {
        case .skipped(let r), .failed(let r), .wouldFail(let r): return r
        case .notReversible: return .msg("this kind of change cannot be undone")
        default: return nil
        }
    }
}

