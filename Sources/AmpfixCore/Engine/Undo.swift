public struct UndoResult: Sendable {
    public var run: String
    public var items: [(action: Action, outcome: RevertOutcome)]

    public init(run: String, items: [(action: Action, outcome: RevertOutcome)]) {
        self.run = run
        self.items = items
    }
}

/// Reverts a run's changes, newest first, journaling each revert before making it.
public struct Undo {
    public let store: any JournalStore
    public let applier: any ChangeApplier

    /// Told where the undo is (the test-only crash switch); does nothing otherwise.
    public var checkpoint: (Checkpoint) -> Void

    public init(store: any JournalStore, applier: any ChangeApplier, checkpoint: @escaping (Checkpoint) -> Void = { _ in }) {
        self.store = store
        self.applier = applier
        self.checkpoint = checkpoint
    }

    /// The run `ampfix undo` means without an id: the newest finished run that changed something
    /// and has not been undone, or whose undo left a revert failed.
    public func latestUndoableRun() throws -> String? {
        for journal in try store.journals().readable.reversed() {
            guard journal.ended && journal.hasChanges else { continue }
            if !journal.undoStarted || (journal.undoEnded && !journal.failedReverts.isEmpty) { return journal.run }
        }
        return nil
    }

    public func undo(run: String?) throws -> UndoResult {
        let chosen: String
        if let run {
            guard RunID.isValid(run), try store.runs().contains(run) else {
                throw JournalError(.msg("no run '\(run)' in the journal; `ampfix undo --list` shows the runs"))
            }
            chosen = run
        } else {
            guard let latest = try latestUndoableRun() else {
                throw JournalError(.msg("nothing to undo: no run in the journal changed anything that is not undone already"))
            }
            chosen = latest
        }
        let journal = try store.journal(of: chosen)
        if journal.undoComplete {
            throw JournalError(.msg("run \(chosen) was already undone"))
        }
        return try revert(journal)
    }

    /// Reverts every change of the run that is on the host and not reverted yet: also one whose
    /// revert failed before (a read-only mount since remounted, a disk since freed), never one
    /// skipped because it changed meanwhile. Also finishes an undo that was interrupted, and
    /// rolls back interrupted runs whose policy says so.
    func revert(_ journal: RunJournal) throws -> UndoResult {
        let writer = JournalWriter(store: store, run: journal.run)
        if !journal.undoStarted { try writer.write(.undoBegin) }
        var items: [(Action, RevertOutcome)] = []
        for seq in journal.actions.indices.reversed() {
            let progress = journal.progress[seq]
            // A failed change that left something behind (its record says what) is undone too.
            guard progress == .intended || journal.leftSomething(seq) else { continue }
            switch journal.reverts[seq] {
            case .reverted?, .skipped?: continue
            case nil, .intended?, .failed?: break
            }
            let count = items.count + 1
            let outcome = try revertOne(seq: seq, action: journal.actions[seq], made: journal.made[seq], writer: writer,
                                        resumed: journal.reverts[seq] == .intended) {
                checkpoint(.made(count))
            }
            items.append((journal.actions[seq], outcome))
            checkpoint(.recorded(count))
        }
        try writer.write(.undoEnd)
        return UndoResult(run: journal.run, items: items)
    }

    private func revertOne(seq: Int, action: Action, made record: [String]?, writer: JournalWriter, resumed: Bool, made: () -> Void) throws -> RevertOutcome {
        guard let inverse = action.change.inverse(made: record) else {
            try writer.write(.revertSkipped, seq: seq, message: .msg("not reversible"))
            return .notReversible
        }
        switch try JournaledStep(applier: applier, records: .revert).run(inverse, seq: seq, journal: writer, resumed: resumed, made: made) {
        case .made: return .reverted
        case .alreadyThere: return .alreadyReverted
        case .changedMeanwhile(let reason): return .skipped(reason)
        case .failed(let reason): return .failed(reason)
        }
    }
}
