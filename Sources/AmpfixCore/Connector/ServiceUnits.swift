/// What the service manager says of a unit: systemd's properties (`NRestarts`, `ExecMainStatus`),
/// read on a live host only. Implemented in AmpfixHost over `systemctl show` with a deadline.
public protocol ServiceUnits {
    func properties(of unit: String, _ names: [String]) -> ServiceUnitReading
}

public enum ServiceUnitReading: Sendable, Equatable {
    /// Not asked (under --root, no systemd), or the question failed; why.
    case unavailable(Message)
    /// The properties as systemd printed them (Key=Value), and the command.
    case read([String: String], command: String)
}

/// No service manager to ask (tests of other faults, --root).
public struct NoServiceUnits: ServiceUnits {
    public let reason: Message
    public init(reason: Message) { self.reason = reason }
    public func properties(of unit: String, _ names: [String]) -> ServiceUnitReading { .unavailable(reason) }
}

extension ServiceUnitReading {
    /// `systemctl show`'s Key=Value lines; other lines are ignored.
    public static func parse(_ output: String, command: String) -> ServiceUnitReading {
        var values: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline).prefix(1000) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return .read(values, command: command)
    }
}
