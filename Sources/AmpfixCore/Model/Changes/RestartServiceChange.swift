extension ChangeKind {
    public static let restartService = ChangeKind("restart-service")
}

/// systemctl restart UNIT (on a live systemd host only).
public struct RestartServiceChange: HostChange {
    public static let kind = ChangeKind.restartService
    public static let journalName = "restartService"

    public var unit: String

    public var target: String { "unit \(unit)" }
    public var beforeDescription: String { "running or stopped" }
    public var afterDescription: String { "restarted" }
    public var summary: Message { .msg("restart \(unit) (systemctl restart)") }
}

extension Change {
    public static func restartService(unit: String) -> Change { Change(RestartServiceChange(unit: unit)) }
}
