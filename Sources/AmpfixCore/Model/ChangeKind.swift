/// The kinds of change, by their stable names in reports and journals. Each kind is applied by
/// exactly one adapter, which lists it in its `kinds`; each declares its name in its own file.
public struct ChangeKind: RawRepresentable, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// A kind ampfix knows, or nil.
    public init?(rawValue: String) {
        guard Change.kinds.contains(where: { $0.kind.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    init(_ name: String) { rawValue = name }

    public static var allCases: [ChangeKind] { Change.kinds.map { $0.kind } }

    public var description: String { rawValue }
}
