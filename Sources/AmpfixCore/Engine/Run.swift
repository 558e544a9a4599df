/// One ampfix invocation on one root: takes the run lock, finishes a run a crash interrupted,
/// then diagnoses, plans, applies and diagnoses again as the mode says, and returns the report.
/// The command line only parses options, composes the adapters and prints what this returns.
public struct Run {
    public var checks: [any FaultCheck]
    public var host: RunHost
    public var language: Language
    /// Notes for the operator (stderr): waiting for a lock, a read-only root.
    public var note: (Message) -> Void
    /// Told where a repair or an undo is (the test-only crash switch).
    public var checkpoint: (Checkpoint) -> Void
    /// The id of a new journal run.
    public var newRunID: () -> String
    /// The running connector's status, shared with the checks that read it; nil: not asked.
    public var connector: ConnectorContext?
    /// The faults the checks belong to: their texts, and which of them ampfix repairs.
    public var registry: FaultRegistry
    /// The kernel the diagnosis is of (--kernel, uname, or an image's newest): whose kept
    /// preflight predictions the report sets against the connector's status. Asked only then.
    public var kernel: (() -> String?)?
    /// Today (YYYY-MM-DD, UTC): the accepted findings are read and applied; nil: not.
    public var today: String?

    public init(checks: [any FaultCheck], host: RunHost, language: Language, note: @escaping (Message) -> Void = { _ in },
                checkpoint: @escaping (Checkpoint) -> Void = { _ in }, newRunID: @escaping () -> String, connector: ConnectorContext? = nil,
                registry: FaultRegistry = .standard) {
        self.connector = connector
        self.registry = registry
        self.checks = checks
        self.host = host
        self.language = language
        self.note = note
        self.checkpoint = checkpoint
        self.newRunID = newRunID
    }

    var workflow: Workflow {
        var workflow = Workflow(checks: checks, facts: host.facts, language: language, root: host.root, connector: connector, registry: registry)
        workflow.kernel = kernel
        workflow.today = today
        return workflow
    }

    /// Diagnoses, plans (dry run) or repairs `faults`.
    /// - Parameter command: the command line, recorded in a repair's journal.
    public func perform(_ mode: RunMode, faults: [FaultID], command: [String] = [], depth: DiagnosisDepth = .quick) throws -> Report {
        switch mode {
        case .diagnose: return try diagnose(faults)
        case .dryRun: return try dryRun(faults)
        case .repair: return try repair(faults, command: command, depth: depth)
        }
    }

    /// Changes nothing and creates nothing (not even the lock file). A run a crash interrupted
    /// is left for the next repair or undo and reported as pending in `recovered`: a journal is
    /// data of the root, and an audit (check, the timer, collect) that finished a run it found
    /// there would change the root with nothing in its output asking for it.
    public func diagnose(_ faults: [FaultID]) throws -> Report {
        if host.lock.isReadOnly {
            // A mounted image can still be audited: nothing can have been journaled there.
            note(.msg("\(host.root) is read-only: diagnosing without taking the run lock"))
            return workflow.diagnosisReport(faults, recovered: try pendingRecovery())
        }
        let lock = try host.lock.acquire(create: false)
        defer { withExtendedLifetime(lock) {} }
        return workflow.diagnosisReport(faults, recovered: try pendingRecovery())
    }

    /// A diagnosis asked for as a repair (`--fault 6`: faults ampfix only explains): it finishes
    /// an interrupted run first, as every repair does.
    func diagnoseRecovering(_ faults: [FaultID]) throws -> Report {
        if host.lock.isReadOnly { return try diagnose(faults) }
        var lock = try host.lock.acquire(create: false)
        defer { withExtendedLifetime(lock) {} }
        var recovered: [Message] = []
        if try !host.journal.interruptedRuns().isEmpty {
            // Recovery writes, so it needs the lock; the lock file is created only when it is
            // missing (a reboot empties /run). A lock taken already is held: taking it again
            // through a second descriptor would wait for ourselves.
            if lock == nil { lock = try host.lock.acquire(create: true) }
            recovered = try Recovery(store: host.journal, applier: host.changes).recover()
        }
        return workflow.diagnosisReport(faults, recovered: recovered)
    }

    /// The exact plan, each action's precondition checked; changes and creates nothing. It waits
    /// only for a lock that exists, and sees the host through inspectors only.
    public func dryRun(_ faults: [FaultID]) throws -> Report {
        let lock = try host.lock.acquire(create: false)
        defer { withExtendedLifetime(lock) {} }
        return workflow.dryRunReport(faults, inspector: host.changes.inspector, pendingRecovery: try pendingRecovery())
    }

    /// Diagnoses, applies the plan through the journal, diagnoses again.
    public func repair(_ faults: [FaultID], command: [String], depth: DiagnosisDepth = .quick) throws -> Report {
        if !registry.repairsAny(faults) {
            // Faults ampfix only explains (16, 18): nothing can change, so nothing is created
            // either, not even the lock file; a diagnosis is all there is to do.
            var report = try diagnoseRecovering(faults)
            report.mode = .repair
            return report
        }
        let lock = try host.lock.acquire(create: true)
        defer { withExtendedLifetime(lock) {} }
        let recovered = try Recovery(store: host.journal, applier: host.changes).recover()
        let executor = Executor(store: host.journal, applier: host.changes, checkpoint: checkpoint)
        return try workflow.repairReport(faults, executor: executor, run: newRunID(), command: command, recovered: recovered, depth: depth)
    }

    /// What the next run will do about interrupted runs, without doing it.
    func pendingRecovery() throws -> [Message] {
        let journals = try host.journal.journals()
        return journals.withoutBegin.map { .msg("\($0); the next repair or undo sets it aside") }
            + journals.readable.filter { $0.interrupted && !host.journal.isClaimed($0.run) }.map {
                $0.policy == .rollback || $0.undoStarted ? .msg("run \($0.run) was interrupted; the next repair or undo will roll it back first")
                    : .msg("run \($0.run) was interrupted; the next repair or undo will complete it first")
            }
    }

    // MARK: Undo

    /// One line per run in the journal, oldest first.
    public func journalListing() throws -> [Message] {
        let journals = try host.journal.journals()
        return journals.withoutBegin.map { .msg("\($0.run)  no begin record: changed nothing (\($0.location))") } + journals.readable.map { run in
            let state: Message = run.undoComplete ? .msg("undone") : run.undoEnded ? .msg("undo incomplete") : run.interrupted ? .msg("interrupted") : .msg("complete")
            let changed = run.progress.filter { $0 == .done }.count
            // TRANSLATORS: %1$s is how many of the run's %2$s planned actions were applied.
            let applied: Message = .plural(run.actions.count, "\(changed) of \(run.actions.count) action applied", "\(changed) of \(run.actions.count) actions applied")
            var parts = [applied]
            if run.undoStarted {
                let reverted = run.reverts.values.filter { $0 == .reverted }.count
                let left = run.progress.indices.filter { run.progress[$0] == .done && run.reverts[$0] != .reverted }.count
                parts.append(.msg("\(reverted) reverted"))
                if left > 0 { parts.append(.msg("\(left) left on the host (see the undo's output or the journal)")) }
            }
            // TRANSLATORS: a line of `ampfix undo --list`: the run id, when it started, its state, and what it did.
            return .msg("\(run.run)  \(run.started)  \(state)  \(Message.joined(parts, separator: ", "))")
        }
    }

    public struct UndoReport {
        /// What recovery did first, one line per interrupted run.
        public var recovered: [Message]
        /// nil when no run id was given and no run has changes left to undo.
        public var result: UndoResult?

        /// A dry run's plan is exact only when no interrupted run waits to be recovered: the
        /// undo recovers it first, which can change what it reverts.
        public var exact = true

        /// Every reversible change reverted (or, planned, exactly planned); changes that cannot be
        /// undone (a restart) do not count against.
        public var complete: Bool {
            exact && (result?.items.allSatisfy { $0.outcome.restored || $0.outcome == .notReversible || $0.outcome == .planned } ?? true)
        }
    }

    /// What `undo` would revert, checked through the inspectors; like a repair's dry run it
    /// waits only for a lock that exists, and changes and creates nothing (an interrupted run
    /// the undo would first recover is named in `recovered`).
    public func undoPlan(_ run: String?) throws -> UndoReport {
        let lock = try host.lock.acquire(create: false)
        defer { withExtendedLifetime(lock) {} }
        var pending = try pendingRecovery()
        let exact = pending.isEmpty
        if !exact {
            pending.append(.msg("the undo recovers that first, which can change what it reverts: this plan is of the journal as it is now"))
        }
        let undo = Undo(store: host.journal, applier: host.changes)
        if run == nil, try undo.latestUndoableRun() == nil {
            return UndoReport(recovered: pending, result: nil, exact: exact)
        }
        return UndoReport(recovered: pending, result: try undo.plan(run: run, inspector: host.changes.inspector), exact: exact)
    }

    /// Reverts `run` (default: the newest run with changes not yet undone).
    public func undo(_ run: String?) throws -> UndoReport {
        let lock = try host.lock.acquire(create: true)
        defer { withExtendedLifetime(lock) {} }
        let recovered = try Recovery(store: host.journal, applier: host.changes).recover()
        let undo = Undo(store: host.journal, applier: host.changes, checkpoint: checkpoint)
        if run == nil, try undo.latestUndoableRun() == nil {
            return UndoReport(recovered: recovered, result: nil)
        }
        return UndoReport(recovered: recovered, result: try undo.undo(run: run))
    }

    // MARK: with-user-groups

    /// Runs `runCommand` with USERGROUPS_ENAB yes in login.defs, then restores the file. The run
    /// lock is released while the command runs (its package hooks may run ampfix).
    public func withUserGroups(command: [String], recovered: (Message) -> Void, runCommand: (AnyObject?) -> Int32) throws -> TemporaryUserGroups.Outcome {
        var lock = try host.lock.acquire(create: true)
        for line in try Recovery(store: host.journal, applier: host.changes).recover() {
            recovered(line)
        }
        let window = TemporaryUserGroups(store: host.journal, applier: host.changes, facts: host.facts)
        let outcome = try window.run(run: newRunID(), command: command, releaseLock: { lock = nil }, runCommand: runCommand)
        withExtendedLifetime(lock) {}
        return outcome
    }
}
