extension FaultID {
    public static let eventMonitoringOverloaded = FaultID(declaring: 18)
}

extension FaultDefinition {
    /// Fault 18 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let eventMonitoringOverloaded = FaultDefinition(
        id: .eventMonitoringOverloaded,
        journalMessageID: "400e4280ae3d443eb5c6c5f86c35273f",
        repairs: false,
        english: FaultTexts(
            title: "Event monitoring overloaded",
            condition: "The host produces more system events than the connector can follow; it watches only a reduced set of critical events until activity drops.",
            resolution: [
                "If a trusted, benign application causes the load, add it to a process exclusion set.",
                "If no benign process explains the load, investigate for malicious activity.",
                "Short bursts clear by themselves; if the fault returns often with no culprit found, give the host more capacity.",
            ],
            automaticRepairs: []
        ),
        check: { EventMonitoringOverloadedFault(connector: $0.sources.connector, sampler: $0.sources.sampler, options: $0.options) }
    )
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

    public init(connector: ConnectorContext, sampler: any EventSampler = NoEventSampler(reason: .msg("not asked")), options: RepairOptions = RepairOptions()) {
        self.connector = connector
        self.sampler = sampler
        self.options = options
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        guard host.runningKernel() != nil || connector.raised(id) != .unknown || connector.disagreement != nil else {
            return Finding(fault: id, status: .notApplicable, evidence: [.msg("event load is a state of a running system; no kernel runs the tree under --root")])
        }
        var finding = ConnectorVerdict.finding(id, connector: connector, host: host)
        guard options.sampleSeconds > 0, host.runningKernel() != nil else { return finding }
        switch connector.sample(sampler, seconds: options.sampleSeconds) {
        case .success(let sample):
            finding.evidence += sample.messages
            if finding.status != .ok, let top = sample.top.first {
                finding.manualSteps.append(.msg("If \(top.executable) is trusted, add it to the policy's process exclusions in the management console (ampfix changes no policy); `ampfix sample --seconds 30` samples longer."))
            }
        case .failure(let why):
            finding.evidence.append(.msg("events not sampled: \(why)"))
        }
        return finding
    }
}
