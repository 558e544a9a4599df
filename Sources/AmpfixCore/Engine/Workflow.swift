/// facts → findings → plan → apply → verify. The CLI composes the adapters and calls one of the
/// three entry points; everything they return is a `Report`.
public struct Workflow {
    public var checks: [any FaultCheck]
    public var facts: any HostFacts
    public var language: Language
    public var root: String

    public init(checks: [any FaultCheck] = FaultRegistry.standard(), facts: any HostFacts, language: Language, root: String) {
        self.checks = checks
        self.facts = facts
        self.language = language
        self.root = root
    }

    public func diagnose(_ ids: [FaultID], depth: DiagnosisDepth = .thorough) -> [Finding] {
        checks.filter { ids.contains($0.id) }.map { $0.diagnose(facts, depth: depth) }
    }

    /// The changes that repair the present faults among `findings`, in fault order.
    public func plan(_ findings: [Finding]) -> [Action] {
        findings.filter { $0.status == .present }.flatMap { finding in
            finding.repairs.map { Action(fault: finding.fault, change: $0) }
        }
    }

    /// `ampfix`: diagnose, change nothing.
    public func diagnosisReport(_ ids: [FaultID], recovered: [String]) -> Report {
        let findings = diagnose(ids)
        return report(.diagnose, findings: findings, recovered: recovered) { _ in [] }
    }

    /// `--dry-run`: the exact plan, each action with its precondition checked. Gets only an
    /// inspector, so it cannot change anything.
    public func dryRunReport(_ ids: [FaultID], inspector: any ChangeInspector, pendingRecovery: [String]) -> Report {
        let findings = diagnose(ids)
        let actions = plan(findings)
        let reports = actions.map { action -> ActionReport in
            if let reason = inspector.precondition(of: action.change) {
                return ActionReport(action, outcome: .wouldFail(reason))
            }
            return ActionReport(action, outcome: .planned)
        }
        return report(.dryRun, findings: findings, recovered: pendingRecovery) { id in reports.filter { $0.fault == id.rawValue } }
    }

    /// `--fault N` / `--all`: diagnose, apply the plan through the executor, diagnose again.
    /// A repair whose diagnosis finds nothing to do costs one quick diagnosis and nothing else:
    /// no journal, no second diagnosis. `depth` .thorough (from --verbose) gathers all evidence.
    public func repairReport(_ ids: [FaultID], executor: Executor, run: String, command: [String], recovered: [String], depth: DiagnosisDepth = .quick) throws -> Report {
        let before = diagnose(ids, depth: depth)
        let actions = plan(before)
        var reports: [ActionReport] = []
        var runID: String?
        var after = before
        if !actions.isEmpty {
            let outcomes = try executor.execute(actions, run: run, command: command)
            reports = zip(actions, outcomes).map { ActionReport($0, outcome: $1) }
            runID = run
            after = diagnose(ids, depth: .thorough)
        }
        var result = report(.repair, findings: after, recovered: recovered) { id in reports.filter { $0.fault == id.rawValue } }
        for index in result.faults.indices {
            let id = result.faults[index].id
            result.faults[index].initialStatus = before.first { $0.fault.rawValue == id }?.status
            if result.faults[index].actions.contains(where: { $0.outcome == .applied }),
               let check = checks.first(where: { $0.id.rawValue == id }) {
                result.faults[index].manualSteps += check.stepsAfterRepair(facts)
            }
        }
        result.run = runID
        result.journal = runID.map { executor.store.location(of: $0) }
        return result
    }

    private func report(_ mode: RunMode, findings: [Finding], recovered: [String], actions: (FaultID) -> [ActionReport]) -> Report {
        let faults = findings.map { finding -> FaultReport in
            let entry = FaultCatalog.entry(finding.fault, language: language)
            var steps = finding.manualSteps
            if finding.status == .unknown || finding.status == .present, steps.isEmpty {
                steps = entry.resolution
            }
            if finding.status == .ok || finding.status == .notApplicable { steps = [] }
            return FaultReport(
                id: finding.fault.rawValue,
                title: entry.title,
                status: finding.status,
                initialStatus: nil,
                repairable: !finding.repairs.isEmpty,
                evidence: finding.evidence,
                actions: actions(finding.fault),
                manualSteps: steps
            )
        }
        return Report(
            mode: mode,
            root: root,
            language: language,
            run: nil,
            journal: nil,
            recovered: recovered,
            faults: faults,
            exitCode: Report.exitCode(for: faults.map(\.status))
        )
    }
}
