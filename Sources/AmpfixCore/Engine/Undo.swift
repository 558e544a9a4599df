public struct UndoResult: Sendable {
    public var run: String
    public var items: [(action: Action, outcome: RevertOutcome)]
    /// `ampfix undo --dry-run`: the items are what an undo would do; nothing was changed.
    public var dryRun: Bool

    public init(run: String, items: [(action: Action, outcome: RevertOutcome)], dryRun: Bool = false) {
        self.run = run
        self.items = items
        self.dryRun = dryRun
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
        try revert(try chosenJournal(run))
    }

    /// What `undo(run:)` would do, each revert's state and precondition checked through the
    /// inspector; writes nothing, not even the journal's undo records.
    public func plan(run: String?, inspector: any ChangeInspector) throws -> UndoResult {
        let journal = try chosenJournal(run)
        // The undo writes its records there first: what would refuse them refuses the plan too.
        try store.checkAppendable(journal.run)
        let items = pending(journal).map { seq -> (Action, RevertOutcome) in
            let action = journal.actions[seq]
            guard let inverse = action.change.inverse(made: journal.made[seq]) else { return (action, .notReversible) }
            do {
                switch try inspector.state(of: inverse) {
                case .after: return (action, .alreadyReverted)
                case .other(let now): return (action, .skipped(JournaledStep.Records.revert.changedMeanwhile(inverse.target, now)))
                case .before: return (action, inspector.precondition(of: inverse).map(RevertOutcome.wouldFail) ?? .planned)
                }
            } catch {
                return (action, .wouldFail(.of(error)))
            }
        }
        return UndoResult(run: journal.run, items: items, dryRun: true)
    }

    /// The run an undo means: RUN-ID, or the newest one with changes not undone.
    private func chosenJournal(_ run: String?) throws -> RunJournal {
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
        return journal
    }

    /// The run's changes an undo takes on, newest first: every change that is on the host and
    /// not reverted yet, also one whose revert failed before; never one skipped because it
    /// changed meanwhile.
    private func pending(_ journal: RunJournal) -> [Int] {
        journal.actions.indices.reversed().filter { seq in
            // A failed change that left something behind (its record says what) is undone too.
            guard journal.progress[seq] == .intended || journal.leftSomething(seq) else { return false }
            switch journal.reverts[seq] {
            case .reverted?, .skipped?: return false
            case nil, .intended?, .failed?: return true
            }
        }
    }

    /// Reverts every change of the run that is on the host and not reverted yet: also one whose
    /// revert failed before (a read-only mount since remounted, a disk since freed), never one
    /// skipped because it changed meanwhile. Also finishes an undo that was interrupted, and
    /// rolls back interrupted runs whose policy says so.
    func revert(_ journal: RunJournal) throws -> UndoResult {
        let writer = JournalWriter(store: store, run: journal.run)
        if !journal.undoStarted { try writer.write(.undoBegin) }
        var items: [(Action, RevertOutcome)] = []
        for seq in pending(journal) {
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
