/// One fault's diagnosis. Each fault lives in its own file with its check, the changes that
/// repair what the check found, and its `FaultDefinition`.
public protocol FaultCheck {
    var id: FaultID { get }
    /// Reads facts and decides. Never changes the host; a failing read makes the finding unknown.
    func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding
    /// What the administrator should do once ampfix has changed something for this fault.
    func stepsAfterRepair(_ host: any HostFacts) -> [Message]
}

extension FaultCheck {
    public func stepsAfterRepair(_ host: any HostFacts) -> [Message] { [] }

    public func diagnose(_ host: any HostFacts) -> Finding { diagnose(host, depth: .thorough) }
}
