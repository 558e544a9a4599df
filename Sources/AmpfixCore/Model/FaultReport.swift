public struct FaultReport: Codable, Sendable, Equatable {
    /// The connector's fault number: the stable id.
    public var id: Int
    public var title: String
    /// The status now (after the repair, when repairing).
    public var status: FindingStatus
    /// The status before the repair; present only when ampfix repaired.
    public var initialStatus: FindingStatus?
    /// Whether ampfix has changes that would repair what it found.
    public var repairable: Bool
    public var evidence: [String]
    public var actions: [ActionReport]
    public var manualSteps: [String]
    /// Whether the connector's own status lists this fault (absent when no status was asked for).
    public var raisedByConnector: RaisedByConnector? = nil
}
