/// A connector fault number. The raw value is the number the connector shows and the stable id
/// in every report. Each fault declares its number in its own file
/// (`extension FaultID { static let … = FaultID(declaring: N) }`); the faults ampfix knows are
/// those `FaultRegistry.standard` lists.
public struct FaultID: RawRepresentable, Hashable, Codable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    public let rawValue: Int

    /// A fault ampfix knows, or nil (a JSON report or journal with another number does not decode).
    public init?(rawValue: Int) {
        guard FaultRegistry.standard.definitions.contains(where: { $0.id.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// Declares a fault's number (its own file does, once).
    public init(declaring number: Int) { rawValue = number }

    /// The faults ampfix knows, in order.
    public static var allCases: [FaultID] { FaultRegistry.standard.ids }

    public static func < (lhs: FaultID, rhs: FaultID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }

    /// "5, 6, 7, 8, 9, 11, 16, 18, 19" — for messages that name the valid ids.
    public static var validList: String { allCases.map(\.description).joined(separator: ", ") }
}
