/// Finishes runs that were interrupted before their end record, before anything else happens.
public struct Recovery {
    public let store: any JournalStore
    public let applier: any ChangeApplier

    public init(store: any JournalStore, applier: any ChangeApplier) {
        self.store = store
        self.applier = applier
    }

    /// Completes or rolls back each interrupted run; returns one line per run saying what was done.
    public func recover() throws -> [Message] {
        var notes: [Message] = []
        for empty in try store.journals().withoutBegin where !store.isClaimed(empty.run) {
            let moved = try store.setAside(empty.run)
            notes.append(.msg("\(empty); set aside as \(moved)"))
        }
        for journal in try store.interruptedRuns() {
            if journal.tornTail {
                notes.append(.msg("run \(journal.run): the crash cut its last journal record short; that record is dropped"))
            }
            let executor = Executor(store: store, applier: applier)
            if journal.undoStarted || journal.policy == .rollback {
                let result = try Undo(store: store, applier: applier).revert(journal)
                if !journal.ended { try executor.finish(journal.run, message: .msg("interrupted; rolled back by a later run")) }
                let reverted = Self.count(result)
                notes.append(journal.undoStarted ? .msg("run \(journal.run): its interrupted undo was finished (\(reverted))")
                    : .msg("run \(journal.run): it was interrupted and has been rolled back (\(reverted))"))
            } else {
                let remaining = journal.actions.indices.filter { [.pending, .intended].contains(journal.progress[$0]) }
                let writer = JournalWriter(store: store, run: journal.run)
                let resumed = Set(remaining.filter { journal.progress[$0] == .intended })
                let outcomes = try executor.perform(journal.actions, indices: remaining, journal: writer, resumed: resumed)
                try executor.finish(journal.run, message: .msg("completed by a later run after an interruption"))
                let applied = outcomes.filter { $0 == .applied }.count
                let failed = outcomes.filter { if case .failed = $0 { return true } else { return false } }.count
                let other = remaining.count - applied - failed
                // TRANSLATORS: %1$s is the run id, %2$s the number of actions it had left, %3$s, %4$s
                // and %5$s how many of them were applied, failed, and were already in place or skipped.
                notes.append(.plural(remaining.count, "run \(journal.run) was interrupted and has been completed (\(remaining.count) remaining action: \(applied) applied, \(failed) failed, \(other) already in place or skipped)",
                                     "run \(journal.run) was interrupted and has been completed (\(remaining.count) remaining actions: \(applied) applied, \(failed) failed, \(other) already in place or skipped)"))
            }
        }
        return notes
    }

    private static func count(_ result: UndoResult) -> Message {
        let reverted = result.items.filter(\.outcome.restored).count
        // TRANSLATORS: how many of a run's changes were reverted, as in "2 of 3 changes reverted".
        return .plural(result.items.count, "\(reverted) of \(result.items.count) change reverted", "\(reverted) of \(result.items.count) changes reverted")
    }
}
