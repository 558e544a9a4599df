/// Finishes runs that were interrupted before their end record, before anything else happens.
public struct Recovery {
    public let store: any JournalStore
    public let applier: any ChangeApplier

    public init(store: any JournalStore, applier: any ChangeApplier) {
        self.store = store
        self.applier = applier
    }

    /// Completes or rolls back each interrupted run; returns one line per run saying what was done.
    public func recover() throws -> [String] {
        var notes: [String] = []
        for empty in try store.journals().withoutBegin where !store.isClaimed(empty.run) {
            let moved = try store.setAside(empty.run)
            notes.append("\(empty); set aside as \(moved)")
        }
        for journal in try store.interruptedRuns() {
            if journal.tornTail {
                notes.append("run \(journal.run): the crash cut its last journal record short; that record is dropped")
            }
            let executor = Executor(store: store, applier: applier)
            if journal.undoStarted || journal.policy == .rollback {
                let result = try Undo(store: store, applier: applier).revert(journal)
                if !journal.ended { try executor.finish(journal.run, message: "interrupted; rolled back by a later run") }
                let what = journal.undoStarted ? "its interrupted undo was finished" : "it was interrupted and has been rolled back"
                notes.append("run \(journal.run): \(what) (\(Self.count(result)))")
            } else {
                let remaining = journal.actions.indices.filter { [.pending, .intended].contains(journal.progress[$0]) }
                let writer = JournalWriter(store: store, run: journal.run)
                let resumed = Set(remaining.filter { journal.progress[$0] == .intended })
                let outcomes = try executor.perform(journal.actions, indices: remaining, journal: writer, resumed: resumed)
                try executor.finish(journal.run, message: "completed by a later run after an interruption")
                let applied = outcomes.filter { $0 == .applied }.count
                let failed = outcomes.filter { if case .failed = $0 { return true } else { return false } }.count
                notes.append("run \(journal.run) was interrupted and has been completed (\(remaining.count) remaining actions: \(applied) applied, \(failed) failed, \(remaining.count - applied - failed) already in place or skipped)")
            }
        }
        return notes
    }

    private static func count(_ result: UndoResult) -> String {
        let reverted = result.items.filter(\.outcome.restored).count
        return "\(reverted) of \(result.items.count) changes reverted"
    }
}
