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
            return Finding(fault: id, status: .notApplicable, evidence: [.msg("\(installedPath) does not exist: the connector is not installed here")])
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
            if decided.contains(.present) { evidence.append(.msg("the connector does not raise fault \(id) now: the events above are past")) }
        case .no:
            status = decided.isEmpty ? .ok : FindingStatus.combined(decided + [.ok])
        case .unknown where connector.disagreement != nil:
            // The connector says faults are raised and ampfix cannot tell which: its own checks
            // can find the fault, never clear it.
            status = decided.contains(.present) ? .present : .unknown
        case .unknown:
            status = decided.isEmpty ? .unknown : FindingStatus.combined(decided)
            if decided.isEmpty { evidence.append(.msg("ampfix has no check of its own for fault \(id) here")) }
        }
        return Finding(fault: id, status: status, evidence: evidence,
                       repairs: status == .present ? own.flatMap(\.repairs) : [],
                       manualSteps: status == .ok ? [] : own.flatMap(\.manualSteps))
    }
}
