/// The connector's restart after a repair, so that the scanner runs with what was repaired:
/// planned where systemd manages the unit and --no-restart was not given, otherwise a manual step.
public enum ConnectorRestart {
    public static let unit = "cisco-amp"

    static func availability(options: RepairOptions, host: any HostFacts) -> ServiceAvailability {
        options.restartConnector ? host.serviceAvailability(unit) : .unavailable(.msg("--no-restart was given"))
    }

    /// Adds the restart to a finding that repairs something, or says why there will be none.
    static func add(to finding: inout Finding, options: RepairOptions, host: any HostFacts) {
        guard !finding.repairs.isEmpty else { return }
        switch availability(options: options, host: host) {
        case .manageable:
            finding.repairs.append(.restartService(unit: unit))
        case .unavailable(let why):
            finding.evidence.append(.msg("the connector will not be restarted after the repair: \(why)"))
        }
    }

    static func stepsAfterRepair(options: RepairOptions, host: any HostFacts) -> [Message] {
        guard case .unavailable = availability(options: options, host: host) else { return [] }
        return [.msg("Restart the connector so that the scanner runs with the repaired setup: systemctl restart \(unit)")]
    }
}
