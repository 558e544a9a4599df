extension FaultID {
    public static let scanServiceRestarting = FaultID(declaring: 6)
}

extension FaultDefinition {
    /// Fault 6 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let scanServiceRestarting = FaultDefinition(
        id: .scanServiceRestarting,
        journalMessageID: "508a4a7abe0e424299bb65bb273e6f19",
        repairs: true,
        english: FaultTexts(
            title: "Scan service restarting frequently",
            condition: "The file scanner keeps failing and the connector keeps restarting it. Scanning continues on a best-effort basis.",
            resolution: [
                "Some file on the host may crash the scanner. Restart the connector and wait ten minutes; if the fault does not clear by itself, investigate.",
                "Read /var/log/cisco/ampdaemon.log and /var/log/cisco/ampscansvc.log for the failing scans.",
            ],
            automaticRepairs: ["restart the connector once (systemctl restart cisco-amp; live host under systemd only)"]
        ),
        check: { ScanServiceRestartingFault(connector: $0.sources.connector, units: $0.sources.units, options: $0.options) }
    )
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

    public init(connector: ConnectorContext, units: any ServiceUnits = NoServiceUnits(reason: .msg("not asked")), options: RepairOptions = RepairOptions()) {
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
            finding.evidence.append(.msg("the connector will not be restarted: \(why)"))
            finding.manualSteps.append(.msg("Restart the connector: systemctl restart \(ConnectorRestart.unit); if the fault returns, send `ampfix collect` to support."))
        }
        return finding
    }

    func checkUnit() -> Finding {
        let unit = ConnectorRestart.unit + ".service"
        switch units.properties(of: unit, Self.properties) {
        case .unavailable(let why):
            return Finding(fault: id, status: .notApplicable, evidence: [.msg("systemd: not asked (\(why))")])
        case .read(let values, let command):
            if values["LoadState"] == "not-found" {
                return Finding(fault: id, status: .notApplicable, evidence: [.msg("systemd: \(unit) is not installed (\(command))")])
            }
            guard let restarts = values["NRestarts"].flatMap({ Int($0) }) else {
                return Finding(fault: id, status: .notApplicable, evidence: [.msg("systemd: \(command) gave no NRestarts (systemd older than 235?)")])
            }
            let state = "\(values["ActiveState"] ?? "?")/\(values["SubState"] ?? "?")"
            var line = Message.plural(restarts, "systemd: \(unit) is \(state), restarted \(restarts) time by systemd since it was last started",
                                      "systemd: \(unit) is \(state), restarted \(restarts) times by systemd since it was last started")
            if let ended = Self.lastExit(code: values["ExecMainCode"], status: values["ExecMainStatus"]) { line = .msg("\(line); its main process last \(ended)") }
            line = .msg("\(line) (\(command))")
            guard restarts >= Self.restartThreshold else { return Finding(fault: id, status: .ok, evidence: [line]) }
            return Finding(fault: id, status: .present, evidence: [.msg("\(line); \(Self.restartThreshold) or more is frequent")])
        }
    }

    /// systemd's ExecMainCode is a CLD_* code: 1 exited, 2 killed, 3 dumped core.
    static func lastExit(code: String?, status: String?) -> Message? {
        guard let code = code.flatMap({ Int($0) }), let status = status.flatMap({ Int($0) }) else { return nil }
        switch code {
        case 1: return .msg("exited with status \(status)")
        case 2: return .msg("was killed by signal \(status)")
        case 3: return .msg("dumped core on signal \(status)")
        default: return nil
        }
    }

    func checkLogs(_ host: any HostFacts) -> Finding {
        let logs = connector.logs(host)
        let evidence = logs.evidence(errorsShown: false, crashesShown: !logs.read.isEmpty)
        guard !logs.read.isEmpty || !logs.problems.isEmpty else { return Finding(fault: id, status: .notApplicable, evidence: evidence) }
        if logs.crashes < Self.crashThreshold && !logs.problems.isEmpty {
            // Judged from the logs that could be read alone, a log that could not (a FIFO, a
            // device, a link out of the root as the scanner's log) would hide its crashes.
            return Finding(fault: id, status: .unknown, evidence: evidence,
                           manualSteps: [.msg("Make the connector's logs regular files again (reinstalling the connector restores them), then run ampfix again.")])
        }
        guard logs.crashes >= Self.crashThreshold else { return Finding(fault: id, status: .ok, evidence: evidence) }
        var steps: [Message] = []
        if let top = logs.suspects.first {
            steps.append(.plural(top.crashes,
                                 "The scanner crashed at \(top.path) \(top.crashes) time: if it keeps crashing there, exclude the path in the connector's policy (management console) and send the file's details to support; ampfix changes no policy.",
                                 "The scanner crashed at \(top.path) \(top.crashes) times: if it keeps crashing there, exclude the path in the connector's policy (management console) and send the file's details to support; ampfix changes no policy."))
        }
        return Finding(fault: id, status: .present, evidence: evidence, manualSteps: steps)
    }
}
