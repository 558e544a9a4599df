/// One kind of change: its values (with the before state), how reports name it, and its inverse.
public protocol HostChange: Codable, Sendable, Equatable {
    /// Its stable name in reports ("directory-attributes").
    static var kind: ChangeKind { get }
    /// Its name in journals ("directoryAttributes"); never changes, or old journals cannot be read.
    static var journalName: String { get }
    var target: String { get }
    var beforeDescription: String { get }
    var afterDescription: String { get }
    /// One line saying what changes, where, and from what, as a message of the report.
    var summary: Message { get }
    /// The change that puts the before state back, knowing what the change made; nil when it
    /// cannot be undone.
    func inverse(made: [String]?) -> Change?
}

extension HostChange {
    public func inverse(made: [String]?) -> Change? { nil }

    func isEqual(to other: any HostChange) -> Bool { (other as? Self) == self }

    func encode(into container: inout KeyedEncodingContainer<Change.Name>) throws {
        try container.encode(self, forKey: Change.Name(stringValue: Self.journalName))
    }

    static func decode(from container: KeyedDecodingContainer<Change.Name>, name: Change.Name) throws -> any HostChange {
        try container.decode(Self.self, forKey: name)
    }
}
