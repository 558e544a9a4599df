/// Faults 6, 7 and 18 are states of the running connector, not of the host's setup. Each shows
/// what the connector says of itself (`ampcli status`) beside what ampfix finds; this decides
/// between them.
enum ConnectorVerdict {
    static let installedPath = "/opt/cisco/amp"

    /// - Parameters:
    ///   - own: ampfix's own checks of the fault, run only when the connector is installed; an
    ///     empty list means it has none here.
    ///   - ownIsHistory: the own checks count past events (restarts, crash lines) that may be
    ///     over: when the connector says the fault is not raised now, they are evidence only.
    static func finding(_ id: FaultID, connector: ConnectorContext, host: any HostFacts, ownIsHistory: Bool = false, own: () -> [Finding] = { [] }) -> Finding {
        guard host.exists(installedPath) else {
            return Finding(fault: id, status: .notApplicable, evidence: ["\(installedPath) does not exist: the connector is not installed here"])
        }
        let own = own()
        var evidence = [connector.evidence(id)] + own.flatMap(\.evidence)
        let decided = own.map(\.status).filter { $0 != .notApplicable }
        let status: FindingStatus
        switch connector.raised(id) {
        case .yes:
            status = .present
        case .no where ownIsHistory:
            status = .ok
            if decided.contains(.present) { evidence.append("the connector does not raise fault \(id) now: the events above are past") }
        case .no:
            status = decided.isEmpty ? .ok : FindingStatus.combined(decided + [.ok])
        case .unknown where connector.disagreement != nil:
            // The connector says faults are raised and ampfix cannot tell which: its own checks
            // can find the fault, never clear it.
            status = decided.contains(.present) ? .present : .unknown
        case .unknown:
            status = decided.isEmpty ? .unknown : FindingStatus.combined(decided)
            if decided.isEmpty { evidence.append("ampfix has no check of its own for fault \(id) here") }
        }
        return Finding(fault: id, status: status, evidence: evidence,
                       repairs: status == .present ? own.flatMap(\.repairs) : [],
                       manualSteps: status == .ok ? [] : own.flatMap(\.manualSteps))
    }
}

/// Fault 6: the scan service restarts frequently. Beside the connector's word: how often
/// systemd restarted the connector and how its main process last ended (live only), and the
/// scanner's crash lines in the logs' tails with the files named at them. The repair restarts
/// the connector; the suspects are for the operator (exclusions are the console's).
public struct ScanServiceRestartingFault: FaultCheck {
    public let id = FaultID.scanServiceRestarting
    public let connector: ConnectorContext
    public let units: any ServiceUnits
    public let options: RepairOptions

    /// systemd restarts since the unit was last started by hand that make the fault present.
    public static let restartThreshold = 3
    /// Crash lines in the logs' tails that make the fault present.
    public static let crashThreshold = 3
    static let properties = ["LoadState", "ActiveState", "SubState", "NRestarts", "ExecMainCode", "ExecMainStatus"]

    public init(connector: ConnectorContext, units: any ServiceUnits = NoServiceUnits(reason: "not asked"), options: RepairOptions = RepairOptions()) {
        self.connector = connector
        self.units = units
        self.options = options
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        var finding = ConnectorVerdict.finding(id, connector: connector, host: host, ownIsHistory: true) { [checkUnit(), checkLogs(host)] }
        if let waited = connector.waited[id] { finding.evidence.insert(waited.evidence(id), at: 1) }
        guard finding.status == .present else { return finding }
        switch ConnectorRestart.availability(options: options, host: host) {
        case .manageable:
            finding.repairs = [.restartService(unit: ConnectorRestart.unit)]
        case .unavailable(let why):
            finding.evidence.append("the connector will not be restarted: \(why)")
            finding.manualSteps.append("Restart the connector: systemctl restart \(ConnectorRestart.unit); if the fault returns, send `ampfix collect` to support.")
        }
        return finding
    }

    func checkUnit() -> Finding {
        let unit = ConnectorRestart.unit + ".service"
        switch units.properties(of: unit, Self.properties) {
        case .unavailable(let why):
            return Finding(fault: id, status: .notApplicable, evidence: ["systemd: not asked (\(why))"])
        case .read(let values, let command):
            if values["LoadState"] == "not-found" {
                return Finding(fault: id, status: .notApplicable, evidence: ["systemd: \(unit) is not installed (\(command))"])
            }
            guard let restarts = values["NRestarts"].flatMap({ Int($0) }) else {
                return Finding(fault: id, status: .notApplicable, evidence: ["systemd: \(command) gave no NRestarts (systemd older than 235?)"])
            }
            var line = "systemd: \(unit) is \(values["ActiveState"] ?? "?")/\(values["SubState"] ?? "?"), restarted \(restarts) time\(restarts == 1 ? "" : "s") by systemd since it was last started"
            if let ended = Self.lastExit(code: values["ExecMainCode"], status: values["ExecMainStatus"]) { line += "; its main process last \(ended)" }
            line += " (\(command))"
            guard restarts >= Self.restartThreshold else { return Finding(fault: id, status: .ok, evidence: [line]) }
            return Finding(fault: id, status: .present, evidence: [line + "; \(Self.restartThreshold) or more is frequent"])
        }
    }

    /// systemd's ExecMainCode is a CLD_* code: 1 exited, 2 killed, 3 dumped core.
    static func lastExit(code: String?, status: String?) -> String? {
        guard let code = code.flatMap({ Int($0) }), let status = status.flatMap({ Int($0) }) else { return nil }
        switch code {
        case 1: return "exited with status \(status)"
        case 2: return "was killed by signal \(status)"
        case 3: return "dumped core on signal \(status)"
        default: return nil
        }
    }

    func checkLogs(_ host: any HostFacts) -> Finding {
        let logs = connector.logs(host)
        let evidence = logs.evidence(errorsShown: false, crashesShown: !logs.read.isEmpty)
        guard !logs.read.isEmpty else { return Finding(fault: id, status: .notApplicable, evidence: evidence) }
        guard logs.crashes >= Self.crashThreshold else { return Finding(fault: id, status: .ok, evidence: evidence) }
        var steps: [String] = []
        if let top = logs.suspects.first {
            steps.append("The scanner crashed at \(top.path) \(top.crashes) time\(top.crashes == 1 ? "" : "s"): if it keeps crashing there, exclude the path in the connector's policy (management console) and send the file's details to support; ampfix changes no policy.")
        }
        return Finding(fault: id, status: .present, evidence: evidence, manualSteps: steps)
    }
}

/// Fault 18: event monitoring overloaded. A state of a running kernel and connector: under
/// --root there is nothing to sample, and the fault does not apply unless a connector's status
/// was asked for (--ampcli) and speaks of its faults.
/// With `--fault 18` on a live host, a few seconds' sample (`ampfix sample`) names the busiest
/// executables as evidence: whether that load overloads the connector is its own to say.
public struct EventMonitoringOverloadedFault: FaultCheck {
    public let id = FaultID.eventMonitoringOverloaded
    public let connector: ConnectorContext
    public let sampler: any EventSampler
    public let options: RepairOptions

    public init(connector: ConnectorContext, sampler: any EventSampler = NoEventSampler(reason: "not asked"), options: RepairOptions = RepairOptions()) {
        self.connector = connector
        self.sampler = sampler
        self.options = options
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        guard host.runningKernel() != nil || connector.raised(id) != .unknown || connector.disagreement != nil else {
            return Finding(fault: id, status: .notApplicable, evidence: ["event load is a state of a running system; no kernel runs the tree under --root"])
        }
        var finding = ConnectorVerdict.finding(id, connector: connector, host: host)
        guard options.sampleSeconds > 0, host.runningKernel() != nil else { return finding }
        switch connector.sample(sampler, seconds: options.sampleSeconds) {
        case .success(let sample):
            finding.evidence += sample.lines
            if finding.status != .ok, let top = sample.top.first {
                finding.manualSteps.append("If \(top.executable) is trusted, add it to the policy's process exclusions in the management console (ampfix changes no policy); `ampfix sample --seconds 30` samples longer.")
            }
        case .failure(let why):
            finding.evidence.append("events not sampled: \(why)")
        }
        return finding
    }
}
