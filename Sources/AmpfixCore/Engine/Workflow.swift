/// facts → findings → plan → apply → verify, and the report of it. `Run` takes the lock and
/// recovers first, then calls one of the three entry points here.
public struct Workflow {
    public var checks: [any FaultCheck]
    public var facts: any HostFacts
    public var language: Language
    public var root: String
    /// The running connector's status, for every fault's "raised by the connector"; nil: not asked.
    public var connector: ConnectorContext?
    /// The faults' texts.
    public var registry: FaultRegistry
    /// The kernel diagnosed (Run.kernel); nil: the running one.
    public var kernel: (() -> String?)?
    /// Today (YYYY-MM-DD, UTC), for the accepted findings (Acceptance); nil: none are read.
    public var today: String?

    public init(checks: [any FaultCheck], facts: any HostFacts, language: Language, root: String, connector: ConnectorContext? = nil,
                registry: FaultRegistry = .standard) {
        self.checks = checks
        self.registry = registry
        self.facts = facts
        self.language = language
        self.root = root
        self.connector = connector
    }

    public func diagnose(_ ids: [FaultID], depth: DiagnosisDepth = .thorough) -> [Finding] {
        checks.filter { ids.contains($0.id) }.map { $0.diagnose(facts, depth: depth) }
    }

    /// The changes that repair the present faults among `findings`, in fault order; a service
    /// restart goes last and once (faults 5 and 7 repaired together restart the connector once,
    /// after both).
    public func plan(_ findings: [Finding]) -> [Action] {
        let actions = findings.filter { $0.status == .present }.flatMap { finding in
            finding.repairs.map { Action(fault: finding.fault, change: $0) }
        }
        var units = Set<String>()
        let restarts = actions.filter {
            guard let unit = $0.change.as(RestartServiceChange.self)?.unit else { return false }
            return units.insert(unit).inserted
        }
        return actions.filter { $0.change.kind != .restartService } + restarts
    }

    /// `ampfix`: diagnose, change nothing.
    public func diagnosisReport(_ ids: [FaultID], recovered: [Message]) -> Report {
        report(.diagnose, findings: diagnose(ids), recovered: recovered)
    }

    /// `--dry-run`: the exact plan, each action with its precondition checked. Gets only an
    /// inspector, so it cannot change anything.
    public func dryRunReport(_ ids: [FaultID], inspector: any ChangeInspector, pendingRecovery: [Message]) -> Report {
        let findings = diagnose(ids)
        let actions = plan(findings).map { action -> ActionReport in
            ActionReport(action, outcome: inspector.precondition(of: action.change).map(ActionOutcome.wouldFail) ?? .planned)
        }
        return report(.dryRun, findings: findings, recovered: pendingRecovery, actions: actions)
    }

    /// `--fault N` / `--all`: diagnose, apply the plan through the executor, diagnose again.
    /// A repair whose diagnosis finds nothing to do costs one quick diagnosis and nothing else:
    /// no journal, no second diagnosis. `depth` .thorough (from --verbose) gathers all evidence.
    public func repairReport(_ ids: [FaultID], executor: Executor, run: String, command: [String], recovered: [Message],
                             depth: DiagnosisDepth = .quick) throws -> Report {
        let before = diagnose(ids, depth: depth)
        let planned = plan(before)
        guard !planned.isEmpty else {
            // Nothing for ampfix to change; with --wait, the operator's own restart is watched.
            let waited = connector?.settle(ids, changed: false) ?? false
            return report(.repair, findings: waited ? diagnose(ids, depth: .thorough) : before, recovered: recovered, initial: before)
        }
        let outcomes = try executor.execute(planned, run: run, command: command)
        // The connector is asked again after the repair: what it says now, not before (after
        // waiting for it to clear a fault, with --wait).
        connector?.settle(ids, changed: true)
        let actions = zip(planned, outcomes).map { ActionReport($0, outcome: $1) }
        var result = report(.repair, findings: diagnose(ids, depth: .thorough), recovered: recovered, actions: actions, initial: before)
        result.run = run
        result.journal = executor.store.location(of: run)
        return result
    }

    /// - Parameters:
    ///   - actions: the planned or applied actions, in plan order.
    ///   - initial: the findings before a repair; nil when nothing was repaired.
    private func report(_ mode: RunMode, findings: [Finding], recovered: [Message], actions: [ActionReport] = [], initial: [Finding]? = nil) -> Report {
        // Only what a check has asked already: a run of other faults (a package hook's
        // `--fault 5`) does not start the connector's status command for its report.
        let connector = connector.flatMap { $0.wasRead ? $0 : nil }
        var faults = findings.map { finding -> FaultReport in
            let entry = registry.entry(finding.fault)
            let own = actions.filter { $0.fault == finding.fault.rawValue }
            var steps = finding.manualSteps
            if finding.status == .unknown || finding.status == .present, steps.isEmpty {
                steps = entry.resolution.map(Message.fromFaultCatalog)
            }
            if finding.status == .ok || finding.status == .notApplicable { steps = [] }
            if own.contains(where: { $0.outcome == .applied }), let check = checks.first(where: { $0.id == finding.fault }) {
                steps += check.stepsAfterRepair(facts)
            }
            // English; the command line renders the report again in the language asked for
            // (Report.render).
            return FaultReport(
                id: finding.fault.rawValue,
                title: entry.title,
                status: finding.status,
                initialStatus: initial?.first { $0.fault == finding.fault }?.status,
                repairable: !finding.repairs.isEmpty,
                evidence: finding.evidence,
                actions: own,
                manualSteps: steps,
                raisedByConnector: connector?.raised(finding.fault)
            )
        }
        var acceptanceProblems: [Message] = []
        if let today {
            let (entries, problems) = Acceptance.read(facts)
            Acceptance.apply(entries, to: &faults, kernel: kernel?() ?? facts.runningKernel(), today: today)
            acceptanceProblems = problems
        }
        var report = Report(
            mode: mode,
            root: root,
            language: language,
            run: nil,
            journal: nil,
            recovered: recovered,
            faults: faults,
            exitCode: Report.exitCode(for: faults.map(\.status))
        )
        report.connector = connector?.report(facts)
        if !acceptanceProblems.isEmpty { report.acceptanceProblemMessages = acceptanceProblems }
        report.connectorInstalled = facts.exists(ConnectorVerdict.installedPath)
        if report.connectorInstalled == true {
            // Read once: the connector's report has it when its status was asked.
            report.connectorVersion = report.connector?.version ?? (try? facts.readText(ConnectorContext.globalConfigPath)).flatMap(ConnectorVersion.parse)
        }
        if report.connector?.reading == .read {
            switch PreflightRecord.read(facts) {
            case .success(let record):
                report.preflight = PreflightComparison(record: record, kernel: kernel?() ?? facts.runningKernel(), connector: report.connector)
            case .failure(let invalid):
                report.preflightRecordProblemMessage = .msg("the kept predictions (\(PreflightRecord.path)) are not compared: \(invalid.reason); the next ampfix preflight starts them again")
            case nil: break
            }
        }
        return report
    }
}
