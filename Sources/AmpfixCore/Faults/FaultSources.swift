/// What the checks read besides the host's files: one adapter per kind of fact, and ampfix's own
/// data. A new fault that needs a new kind of fact adds it here.
public struct FaultSources {
    /// libselinux, libsemanage, libsepol (fault 19).
    public var selinux: any SELinuxFacts
    /// The module fault 19 installs, or why it could not be read: read when fault 19's check is
    /// built, so that a run of other faults never reads it.
    public var shippedModule: Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError> { loadShippedModule() }
    private let loadShippedModule: () -> Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError>
    /// libapt-pkg or librpm, opened on first use (faults 11 and 16).
    public var packages: PackageSource
    /// libkmod (faults 8 and 9).
    public var kernelModules: any KernelModules
    /// The kernel support table (fault 16), or why it could not be read: read when fault 16's
    /// check is built.
    public var kernelSupport: Result<KernelSupportTable, KernelSupportTable.Malformed> { loadKernelSupport() }
    private let loadKernelSupport: () -> Result<KernelSupportTable, KernelSupportTable.Malformed>
    /// The running connector's own status (faults 6, 7 and 18), read once per run.
    public var connector: ConnectorContext
    /// The connector's ClamAV databases, streamed (fault 7).
    public var definitions: any DefinitionsReader
    /// systemd's view of the connector's unit, live only (fault 6).
    public var units: any ServiceUnits
    /// fanotify and the proc connector, live only (fault 18).
    public var sampler: any EventSampler
    /// The connector's eBPF programs, through libbpf (fault 16, preflight).
    public var bpf: any BPFPrograms

    public init(selinux: any SELinuxFacts, shippedModule: @autoclosure @escaping () -> Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError>,
                packages: PackageSource, kernelModules: any KernelModules,
                kernelSupport: @autoclosure @escaping () -> Result<KernelSupportTable, KernelSupportTable.Malformed>,
                connector: ConnectorContext = ConnectorContext(runtime: NoConnectorRuntime(reason: .msg("not asked"))),
                definitions: any DefinitionsReader = NoDefinitions(), units: any ServiceUnits = NoServiceUnits(reason: .msg("not asked")),
                sampler: any EventSampler = NoEventSampler(reason: .msg("not asked")),
                bpf: any BPFPrograms = NoBPFPrograms(reason: .msg("not asked"))) {
        self.units = units
        self.bpf = bpf
        self.sampler = sampler
        self.connector = connector
        self.definitions = definitions
        self.selinux = selinux
        loadShippedModule = shippedModule
        self.packages = packages
        self.kernelModules = kernelModules
        loadKernelSupport = kernelSupport
    }
}
