public struct UndoResult: Sendable {
    public var run: String
    public var items: [(action: Action, outcome: RevertOutcome)]
}

/// Reverts a run's changes, newest first, journaling each revert before making it.
public struct Undo {
    public let store: any JournalStore
    public let applier: any ChangeApplier

    public init(store: any JournalStore, applier: any ChangeApplier) {
        self.store = store
        self.applier = applier
    }

    /// The run `ampfix undo` means without an id: the newest finished run that changed something
    /// and has not been undone.
    public func latestUndoableRun() throws -> String? {
        for run in try store.runs().reversed() {
            let journal = try store.journal(of: run)
            if journal.ended && !journal.undoStarted && journal.hasChanges { return run }
        }
        return nil
    }

    public func undo(run: String?) throws -> UndoResult {
        let chosen: String
        if let run {
            guard RunID.isValid(run), try store.runs().contains(run) else {
                throw JournalError("no run '\(run)' in the journal; `ampfix undo --list` shows the runs")
            }
            chosen = run
        } else {
            guard let latest = try latestUndoableRun() else {
                throw JournalError("nothing to undo: no run in the journal changed anything that is not undone already")
            }
            chosen = latest
        }
        let journal = try store.journal(of: chosen)
        if journal.undoEnded {
            throw JournalError("run \(chosen) was already undone")
        }
        return try revert(journal)
    }

    /// Reverts every change of the run that is on the host and not reverted yet. Also finishes an
    /// undo that was interrupted, and rolls back interrupted runs whose policy says so.
    func revert(_ journal: RunJournal) throws -> UndoResult {
        let writer = JournalWriter(store: store, run: journal.run)
        if !journal.undoStarted { try writer.write(.undoBegin) }
        var items: [(Action, RevertOutcome)] = []
        for seq in journal.actions.indices.reversed() {
            let progress = journal.progress[seq]
            guard progress == .done || progress == .intended else { continue }
            if let earlier = journal.reverts[seq], earlier != .intended {
                continue
            }
            items.append((journal.actions[seq], try revertOne(seq: seq, action: journal.actions[seq], writer: writer)))
        }
        try writer.write(.undoEnd)
        return UndoResult(run: journal.run, items: items)
    }

    private func revertOne(seq: Int, action: Action, writer: JournalWriter) throws -> RevertOutcome {
        guard let inverse = action.change.inverse else {
            try writer.write(.revertSkipped, seq: seq, message: "not reversible")
            return .notReversible
        }
        try writer.write(.revertIntent, seq: seq)
        let state: ChangeState
        do {
            state = try applier.state(of: action.change)
        } catch {
            try writer.write(.revertFailed, seq: seq, message: "\(error)")
            return .failed("\(error)")
        }
        switch state {
        case .before:
            try writer.write(.reverted, seq: seq, message: "already in the before state")
            return .alreadyReverted
        case .other(let now):
            let reason = "\(action.change.target) changed since the run: now \(now); left as it is"
            try writer.write(.revertSkipped, seq: seq, message: reason)
            return .skipped(reason)
        case .after:
            do {
                try applier.apply(inverse)
            } catch {
                try writer.write(.revertFailed, seq: seq, message: "\(error)")
                return .failed("\(error)")
            }
            try writer.write(.reverted, seq: seq)
            return .reverted
        }
    }
}

/// Finishes runs that were interrupted before their end record, before anything else happens.
public struct Recovery {
    public let store: any JournalStore
    public let applier: any ChangeApplier

    public init(store: any JournalStore, applier: any ChangeApplier) {
        self.store = store
        self.applier = applier
    }

    /// Runs that need recovering, without touching anything (for dry-run). A run whose process
    /// is still alive (it holds the run's claim) is not interrupted, only in progress.
    public func pending() throws -> [RunJournal] {
        try store.runs().map { try store.journal(of: $0) }.filter { $0.interrupted && !store.isClaimed($0.run) }
    }

    /// Completes or rolls back each interrupted run; returns one line per run saying what was done.
    public func recover() throws -> [String] {
        var notes: [String] = []
        for journal in try pending() {
            let executor = Executor(store: store, applier: applier)
            if journal.undoStarted || journal.policy == .rollback {
                let result = try Undo(store: store, applier: applier).revert(journal)
                if !journal.ended { try executor.finish(journal.run, message: "interrupted; rolled back by a later run") }
                let what = journal.undoStarted ? "its interrupted undo was finished" : "it was interrupted and has been rolled back"
                notes.append("run \(journal.run): \(what) (\(Self.count(result)))")
            } else {
                let remaining = journal.actions.indices.filter { [.pending, .intended].contains(journal.progress[$0]) }
                let writer = JournalWriter(store: store, run: journal.run)
                let outcomes = try executor.perform(journal.actions, indices: remaining, journal: writer)
                try executor.finish(journal.run, message: "completed by a later run after an interruption")
                let applied = outcomes.filter { $0 == .applied }.count
                let failed = outcomes.filter { if case .failed = $0 { return true } else { return false } }.count
                notes.append("run \(journal.run) was interrupted and has been completed (\(remaining.count) remaining actions: \(applied) applied, \(failed) failed, \(remaining.count - applied - failed) already in place or skipped)")
            }
        }
        return notes
    }

    private static func count(_ result: UndoResult) -> String {
        let reverted = result.items.filter { $0.outcome == .reverted || $0.outcome == .alreadyReverted }.count
        return "\(reverted) of \(result.items.count) changes reverted"
    }
}
