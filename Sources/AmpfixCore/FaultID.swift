/// The connector's fault numbers that ampfix knows. The raw value is the number the connector
/// shows and the stable id in every report.
public enum FaultID: Int, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    case scanUserUnavailable = 5
    case scanServiceRestarting = 6
    case scanServiceFailedToStart = 7
    case filesystemMonitor = 8
    case networkMonitor = 9
    case kernelHeadersMissing = 11
    case incompatibleKernel = 16
    case eventMonitoringOverloaded = 18
    case selinuxPolicyMissing = 19

    public static func < (lhs: FaultID, rhs: FaultID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }

    /// "5, 6, 7, 8, 9, 11, 16, 18, 19" — for messages that name the valid ids.
    public static var validList: String { allCases.map(\.description).joined(separator: ", ") }
}
