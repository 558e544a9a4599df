/// Applies a plan: journals each action before making it, applies it through the applier, and
/// records the result. Only a real repair builds one; dry-run renders the plan instead.
public struct Executor {
    public let store: any JournalStore
    public let applier: any ChangeApplier
    /// Told where the run is (the test-only crash switch); does nothing otherwise.
    public var checkpoint: (Checkpoint) -> Void

    public init(store: any JournalStore, applier: any ChangeApplier, checkpoint: @escaping (Checkpoint) -> Void = { _ in }) {
        self.store = store
        self.applier = applier
        self.checkpoint = checkpoint
    }

    /// Runs the plan as run `run`. Throws only when the journal cannot be written; a failing
    /// change is recorded and reported, and the fault's later changes are skipped.
    public func execute(_ actions: [Action], run: String, command: [String], onInterrupt: InterruptPolicy = .complete) throws -> [ActionOutcome] {
        let outcomes = try start(actions, run: run, command: command, onInterrupt: onInterrupt)
        try finish(run)
        return outcomes
    }

    /// Applies the plan but leaves the run open (no end record): for a temporary change that
    /// stays while something else runs, and is undone before `finish`.
    public func start(_ actions: [Action], run: String, command: [String], onInterrupt: InterruptPolicy) throws -> [ActionOutcome] {
        let journal = JournalWriter(store: store, run: run)
        try journal.write(.begin, actions: actions, onInterrupt: onInterrupt, command: command)
        return try perform(actions, indices: Array(actions.indices), journal: journal)
    }

    /// Closes a run with its end record.
    public func finish(_ run: String, message: Message? = nil) throws {
        try JournalWriter(store: store, run: run).write(.end, message: message)
    }

    /// Applies the actions at `indices`, in order, journaling each one. Shared with recovery,
    /// which finishes the pending part of an interrupted plan.
    /// `resumed` are the actions whose intent an interrupted run journaled (see `JournaledStep`).
    func perform(_ actions: [Action], indices: [Int], journal: JournalWriter, resumed: Set<Int> = []) throws -> [ActionOutcome] {
        var outcomes: [ActionOutcome] = []
        var failedFaults = Set<FaultID>()
        for (count, seq) in indices.enumerated() {
            let action = actions[seq]
            let outcome: ActionOutcome
            if failedFaults.contains(action.fault) {
                outcome = .skipped(.msg("an earlier change for fault \(action.fault) failed"))
                try journal.write(.skipped, seq: seq, message: outcome.reason)
            } else {
                outcome = try step(seq: seq, action: action, journal: journal, resumed: resumed.contains(seq)) {
                    checkpoint(.made(count + 1))
                }
                if case .failed = outcome { failedFaults.insert(action.fault) }
            }
            outcomes.append(outcome)
            checkpoint(.recorded(count + 1))
        }
        return outcomes
    }

    private func step(seq: Int, action: Action, journal: JournalWriter, resumed: Bool, made: () -> Void) throws -> ActionOutcome {
        switch try JournaledStep(applier: applier, records: .apply).run(action.change, seq: seq, journal: journal, resumed: resumed, made: made) {
        case .made: return .applied
        case .alreadyThere: return .alreadyInPlace
        case .changedMeanwhile(let reason): return .skipped(reason)
        case .failed(let reason): return .failed(reason)
        }
    }
}
