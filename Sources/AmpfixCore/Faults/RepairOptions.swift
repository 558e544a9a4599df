/// Choices that shape repairs, from the command line.
public struct RepairOptions: Sendable {
    /// Restart the connector after repairing it (`--no-restart` turns this off).
    public var restartConnector: Bool
    /// The kernel to diagnose instead of the running one (`--kernel`, for images).
    public var kernelRelease: String?
    /// Where the connector keeps its ClamAV databases (`--definitions`, inside the root).
    public var definitionsDirectory: String
    /// Seconds of event sampling for fault 18 (live only); 0: none (`--fault 18` sets 5).
    public var sampleSeconds: Double = 0
    /// Source trees of ampfsm or ampnetworkflow to build with DKMS when the kernel has no such
    /// module (`--module-source`, faults 8 and 9).
    public var moduleSources: [String] = []
    /// Read every ClamAV database whole (body MD5, archive) even when the connector answers and
    /// does not raise fault 7: `--fault 7` named, or `--verbose`. Otherwise a diagnosis reads
    /// only their headers then (a real set is over 200 MB: seconds of CPU on every audit).
    public var checkDefinitionBodies = false
    /// How much fault 16 finds out about the kernel's eBPF support: the connector's programs
    /// loaded and attached (`.full`: faults 8, 9 or 16 named, `--verbose`, preflight), or only
    /// the kernel's configuration (the hourly audit).
    public var kernelEvidence: EBPFReadiness.Depth = .configuration

    public static let defaultDefinitionsDirectory = "/opt/cisco/amp/var/clamav"

    public init(restartConnector: Bool = true, kernelRelease: String? = nil, definitionsDirectory: String = RepairOptions.defaultDefinitionsDirectory) {
        self.restartConnector = restartConnector
        self.kernelRelease = kernelRelease
        self.definitionsDirectory = definitionsDirectory
    }
}
