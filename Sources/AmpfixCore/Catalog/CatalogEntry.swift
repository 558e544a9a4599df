/// What a fault means and what to do about it, in one language.
public struct CatalogEntry: Codable, Sendable, Equatable {
    public var id: FaultID
    public var title: String
    /// When the connector raises the fault.
    public var condition: String
    /// What an administrator does about it, in order.
    public var resolution: [String]
    /// The parts ampfix repairs by itself; empty when ampfix can only explain.
    public var automaticRepairs: [String]

    public init(id: FaultID, title: String, condition: String, resolution: [String], automaticRepairs: [String]) {
        self.id = id
        self.title = title
        self.condition = condition
        self.resolution = resolution
        self.automaticRepairs = automaticRepairs
    }
}
