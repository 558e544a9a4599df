/// A planned change, attributed to the fault it repairs.
public struct Action: Codable, Sendable, Equatable {
    public var fault: FaultID
    public var change: Change

    public init(fault: FaultID, change: Change) {
        self.fault = fault
        self.change = change
    }
}
