/// How a fault stands on the host.
public enum FindingStatus: String, Codable, Sendable, CaseIterable {
    /// Checked, and the fault's cause is absent.
    case ok
    /// Checked, and the cause is there.
    case present
    /// Could not be decided: a check failed or is not written yet. Never reported as ok.
    case unknown
    /// The fault cannot occur here (for example the connector is not installed).
    case notApplicable = "not-applicable"
    /// Present, and accepted by the operator until a date (Acceptance, /etc/ampfix/accepted.d):
    /// a report's status only, never a check's.
    case accepted

    /// Combines the statuses of a fault's separate checks: any present part makes the fault
    /// present; otherwise any unknown part makes it unknown.
    public static func combined(_ parts: [FindingStatus]) -> FindingStatus {
        if parts.contains(.present) || parts.contains(.accepted) { return .present }
        if parts.contains(.unknown) { return .unknown }
        if parts.contains(.ok) { return .ok }
        return .notApplicable
    }
}

/// The result of diagnosing one fault: its status, the evidence for it, the changes that would
/// repair what was found, and what an administrator has to do by hand.
public struct Finding: Codable, Sendable, Equatable {
    public var fault: FaultID
    public var status: FindingStatus
    /// Observations, each naming the file or object it comes from.
    public var evidence: [Message]
    /// The changes that would remove the cause, computed from the facts the diagnosis read.
    public var repairs: [Change]
    /// Steps ampfix cannot take itself.
    public var manualSteps: [Message]

    public init(fault: FaultID, status: FindingStatus, evidence: [Message] = [], repairs: [Change] = [], manualSteps: [Message] = []) {
        self.fault = fault
        self.status = status
        self.evidence = evidence
        self.repairs = repairs
        self.manualSteps = manualSteps
    }
}
