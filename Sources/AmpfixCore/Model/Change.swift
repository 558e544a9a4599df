/// One change to the host, with the state before it so that it can be checked, journaled and
/// undone. Each kind of change is its own type under Model/Changes/ (its values, how reports
/// name it, its inverse); adding one is that file, a line in `Change.kinds`, and the one adapter
/// that applies it. The executor and journal need no change.
public struct Change: Codable, Sendable, Equatable, CustomStringConvertible {
    public let value: any HostChange

    public init(_ value: some HostChange) {
        self.value = value
    }

    /// Every kind of change, for reading journals: one line per kind.
    public static let kinds: [any HostChange.Type] = [
        DirectoryAttributesChange.self,
        CreateGroupChange.self,
        CreateUserChange.self,
        DeleteUserChange.self,
        DeleteGroupChange.self,
        SetPrimaryGroupChange.self,
        RestartServiceChange.self,
        ReplaceFileChange.self,
        PolicyModuleChange.self,
        InstallPackagesChange.self,
        LoadKernelModuleChange.self,
        UnloadKernelModuleChange.self,
        ReloadKernelModuleChange.self,
        MoveFileChange.self,
        DKMSInstallChange.self,
        DKMSRemoveChange.self,
    ]

    /// The kind of change: what routes it to its adapter, and its name in reports.
    public var kind: ChangeKind { type(of: value).kind }
    /// The object the change touches: a path inside the root, an account or a unit.
    public var target: String { value.target }
    public var beforeDescription: String { value.beforeDescription }
    public var afterDescription: String { value.afterDescription }
    /// One line saying what changes, where, and from what.
    public var summary: Message { value.summary }
    public var description: String { summary.description }

    /// The change as its own type, or nil when it is of another kind: what an adapter applies.
    public func `as`<Kind: HostChange>(_ kind: Kind.Type) -> Kind? { value as? Kind }

    /// The inverse, knowing what the change made (the adapter's `record(of:)`, journaled with
    /// the change's done record): an account is deleted only as it was made.
    public func inverse(made: [String]?) -> Change? { value.inverse(made: made) }

    /// The change that puts the before state back, or nil when the change cannot be undone.
    public var inverse: Change? { value.inverse(made: nil) }

    public static func == (lhs: Change, rhs: Change) -> Bool { lhs.value.isEqual(to: rhs.value) }

    // In journals a change is `{"NAME": {values}}`, NAME its kind's `journalName`: the shape
    // every ampfix version has written, so that any journal can still be undone.
    struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct UnknownKind: Error, CustomStringConvertible {
        var names: [String]
        var description: String { "not a change ampfix knows: \(names.joined(separator: ", "))" }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        let names = container.allKeys
        guard names.count == 1, let name = names.first, let kind = Self.kinds.first(where: { $0.journalName == name.stringValue }) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "\(UnknownKind(names: names.map(\.stringValue)))"))
        }
        value = try kind.decode(from: container, name: name)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Name.self)
        try value.encode(into: &container)
    }
}
