/// What the checks read besides the host's files: one adapter per kind of fact, and ampfix's own
/// data. A new fault that needs a new kind of fact adds it here.
public struct FaultSources {
    /// libselinux, libsemanage, libsepol (fault 19).
    public var selinux: any SELinuxFacts
    /// The module fault 19 installs, or why it could not be read.
    public var shippedModule: Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError>
    /// libapt-pkg or librpm, opened on first use (faults 11 and 16).
    public var packages: PackageSource
    /// libkmod (faults 8 and 9).
    public var kernelModules: any KernelModules
    /// The kernel support table (fault 16), or why it could not be read.
    public var kernelSupport: Result<KernelSupportTable, KernelSupportTable.Malformed>
    /// The running connector's own status (faults 6, 7 and 18), read once per run.
    public var connector: ConnectorContext
    /// The connector's ClamAV databases, streamed (fault 7).
    public var definitions: any DefinitionsReader
    /// systemd's view of the connector's unit, live only (fault 6).
    public var units: any ServiceUnits
    /// fanotify and the proc connector, live only (fault 18).
    public var sampler: any EventSampler

    public init(selinux: any SELinuxFacts, shippedModule: Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError>,
                packages: PackageSource, kernelModules: any KernelModules,
                kernelSupport: Result<KernelSupportTable, KernelSupportTable.Malformed>,
                connector: ConnectorContext = ConnectorContext(runtime: NoConnectorRuntime(reason: "not asked")),
                definitions: any DefinitionsReader = NoDefinitions(), units: any ServiceUnits = NoServiceUnits(reason: "not asked"),
                sampler: any EventSampler = NoEventSampler(reason: "not asked")) {
        self.units = units
        self.sampler = sampler
        self.connector = connector
        self.definitions = definitions
        self.selinux = selinux
        self.shippedModule = shippedModule
        self.packages = packages
        self.kernelModules = kernelModules
        self.kernelSupport = kernelSupport
    }
}

/// The checks ampfix runs: one per fault, in fault order. Adding a fault is one file under
/// Faults/ and one line here (CONTRIBUTING.md).
public enum FaultRegistry {
    public static func standard(_ options: RepairOptions, sources: FaultSources) -> [any FaultCheck] {
        let kernel = KernelContext(options: options)  // shared by faults 8, 9, 11 and 16
        return FaultID.allCases.map { id -> any FaultCheck in
            switch id {
            case .scanUserUnavailable: return ScanUserFault(options: options)
            case .filesystemMonitor: return KernelModuleFault.filesystemMonitor(kernel: kernel, modules: sources.kernelModules)
            case .networkMonitor: return KernelModuleFault.networkMonitor(kernel: kernel, modules: sources.kernelModules)
            case .kernelHeadersMissing: return KernelHeadersFault(kernel: kernel, packages: sources.packages)
            case .incompatibleKernel: return IncompatibleKernelFault(kernel: kernel, packages: sources.packages, table: sources.kernelSupport)
            case .selinuxPolicyMissing: return SELinuxModuleFault(selinux: sources.selinux, shipped: sources.shippedModule)
            case .scanServiceRestarting: return ScanServiceRestartingFault(connector: sources.connector, units: sources.units, options: options)
            case .scanServiceFailedToStart: return ScanServiceFailedToStartFault(connector: sources.connector, definitions: sources.definitions, options: options)
            case .eventMonitoringOverloaded: return EventMonitoringOverloadedFault(connector: sources.connector, sampler: sources.sampler, options: options)
            }
        }
    }
}

/// No definitions to read (tests of other faults).
public struct NoDefinitions: DefinitionsReader {
    public init() {}
    public func inspect(directory: String, depth: DiagnosisDepth) throws -> [DefinitionFileCheck]? { nil }
}
