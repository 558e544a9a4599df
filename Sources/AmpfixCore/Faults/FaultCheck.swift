/// One fault's diagnosis. Each fault lives in its own file with its checks and the changes
/// that repair what the checks found.
/// How much evidence a diagnosis gathers.
public enum DiagnosisDepth: Sendable {
    /// Only what decides the status and the plan: for a repair run whose diagnosis may well
    /// find nothing to do, which must stay cheap.
    case quick
    /// Also the evidence that costs more (for example an access decision computed from a
    /// multi-megabyte policy file).
    case thorough
}

public protocol FaultCheck {
    var id: FaultID { get }
    /// Reads facts and decides. Never changes the host; a failing read makes the finding unknown.
    func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding
    /// What the administrator should do once ampfix has changed something for this fault.
    func stepsAfterRepair(_ host: any HostFacts) -> [String]
}

extension FaultCheck {
    public func stepsAfterRepair(_ host: any HostFacts) -> [String] { [] }

    public func diagnose(_ host: any HostFacts) -> Finding { diagnose(host, depth: .thorough) }
}

/// Choices that shape repairs, from the command line.
public struct RepairOptions: Sendable {
    /// Restart the connector after repairing it (`--no-restart` turns this off).
    public var restartConnector: Bool
    /// The kernel to diagnose instead of the running one (`--kernel`, for images).
    public var kernelRelease: String?
    /// Where the connector keeps its ClamAV databases (`--definitions`, inside the root).
    public var definitionsDirectory: String
    /// Where broken files are moved (inside the root): the run's own quarantine directory.
    public var quarantineDirectory: String
    /// Seconds of event sampling for fault 18 (live only); 0: none (`--fault 18` sets 5).
    public var sampleSeconds: Double = 0

    public static let defaultDefinitionsDirectory = "/opt/cisco/amp/var/clamav"

    public init(restartConnector: Bool = true, kernelRelease: String? = nil, definitionsDirectory: String = RepairOptions.defaultDefinitionsDirectory,
                quarantineDirectory: String = Quarantine.directory(run: "planned")) {
        self.restartConnector = restartConnector
        self.quarantineDirectory = quarantineDirectory
        self.kernelRelease = kernelRelease
        self.definitionsDirectory = definitionsDirectory
    }
}

/// A fault whose checks are not written yet: reported as unknown, never as ok.
public struct NotYetImplemented: FaultCheck {
    public let id: FaultID

    public init(_ id: FaultID) { self.id = id }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        Finding(fault: id, status: .unknown, evidence: ["not yet implemented: ampfix cannot check fault \(id) yet"])
    }
}

/// Files ampfix takes out of the connector's way are moved here, one directory per run, and
/// never deleted: `ampfix undo RUN-ID` moves them back.
public enum Quarantine {
    public static let path = "/var/lib/ampfix/quarantine"
    public static func directory(run: String) -> String { "\(path)/\(run)" }
}

/// The connector's restart after a repair, so that the scanner runs with what was repaired:
/// planned where systemd manages the unit and --no-restart was not given, otherwise a manual step.
public enum ConnectorRestart {
    public static let unit = "cisco-amp"

    static func availability(options: RepairOptions, host: any HostFacts) -> ServiceAvailability {
        options.restartConnector ? host.serviceAvailability(unit) : .unavailable("--no-restart was given")
    }

    /// Adds the restart to a finding that repairs something, or says why there will be none.
    static func add(to finding: inout Finding, options: RepairOptions, host: any HostFacts) {
        guard !finding.repairs.isEmpty else { return }
        switch availability(options: options, host: host) {
        case .manageable:
            finding.repairs.append(.restartService(unit: unit))
        case .unavailable(let why):
            finding.evidence.append("the connector will not be restarted after the repair: \(why)")
        }
    }

    static func stepsAfterRepair(options: RepairOptions, host: any HostFacts) -> [String] {
        guard case .unavailable = availability(options: options, host: host) else { return [] }
        return ["Restart the connector so that the scanner runs with the repaired setup: systemctl restart \(unit)"]
    }
}
