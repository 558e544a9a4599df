/// Faults 6, 7 and 18 are states of the running connector, not of the host's setup. Each shows
/// what the connector says of itself (`ampcli status`) beside what ampfix finds; this decides
/// between them.
enum ConnectorVerdict {
    static let installedPath = "/opt/cisco/amp"

    /// - Parameter own: ampfix's own checks of the fault, run only when the connector is
    ///   installed; an empty list means it has none here.
    static func finding(_ id: FaultID, connector: ConnectorContext, host: any HostFacts, own: () -> [Finding] = { [] }) -> Finding {
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
        case .no:
            status = decided.isEmpty ? .ok : FindingStatus.combined(decided + [.ok])
        case .unknown:
            status = decided.isEmpty ? .unknown : FindingStatus.combined(decided)
            if decided.isEmpty { evidence.append("ampfix has no check of its own for fault \(id) here") }
        }
        return Finding(fault: id, status: status, evidence: evidence,
                       repairs: status == .present ? own.flatMap(\.repairs) : [],
                       manualSteps: status == .ok ? [] : own.flatMap(\.manualSteps))
    }
}

/// Fault 6: the scan service restarts frequently. For now the connector's own word; the
/// restart count and crash lines come next.
public struct ScanServiceRestartingFault: FaultCheck {
    public let id = FaultID.scanServiceRestarting
    public let connector: ConnectorContext

    public init(connector: ConnectorContext) { self.connector = connector }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        ConnectorVerdict.finding(id, connector: connector, host: host)
    }
}

/// Fault 18: event monitoring overloaded. A state of a running kernel and connector: under
/// --root there is nothing to sample, and the fault does not apply unless a connector's status
/// was asked for (--ampcli) and speaks of its faults.
public struct EventMonitoringOverloadedFault: FaultCheck {
    public let id = FaultID.eventMonitoringOverloaded
    public let connector: ConnectorContext

    public init(connector: ConnectorContext) { self.connector = connector }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        guard host.runningKernel() != nil || connector.raised(id) != .unknown else {
            return Finding(fault: id, status: .notApplicable, evidence: ["event load is a state of a running system; no kernel runs the tree under --root"])
        }
        return ConnectorVerdict.finding(id, connector: connector, host: host)
    }
}
