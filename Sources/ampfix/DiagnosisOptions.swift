import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

/// What a diagnosis reads besides the root: ampfix's data files, the kernel release, the
/// connector's definitions and status command (the main command and `collect`).
struct DiagnosisOptions {
    static let policyModuleOption = OptionSpec("--policy-module", value: "FILE", help: "The SELinux module to install for fault 19 (.cil or .pp; default %1$s).", helpArguments: [DataFiles.defaultPolicyModule])
    static let kernelOption = OptionSpec("--kernel", value: "RELEASE", help: "Diagnose this kernel release instead of the running one (faults 11 and 16; for images).")
    static let kernelSupportOption = OptionSpec("--kernel-support", value: "FILE", help: "The kernel support table for fault 16 (default %1$s).", helpArguments: [DataFiles.defaultKernelSupport])
    static let definitionsOption = OptionSpec("--definitions", value: "DIR", help: "The connector's ClamAV definitions directory, inside the root (fault 7; default %1$s). Each database's header is read; its body (MD5, archive) where the connector raises fault 7 or cannot be asked, or with --fault 7 or --verbose.", helpArguments: [RepairOptions.defaultDefinitionsDirectory])
    static let ampcliOption = OptionSpec("--ampcli", value: "PATH", help: "The connector's status command, run as `PATH status` (default %1$s on a live host; under --root no connector is asked unless this is given). A path on this machine.", helpArguments: [ConnectorAccess.defaultAmpcli])
    static let moduleSourceOption = OptionSpec("--module-source", value: "DIR", help: "A source tree of ampfsm or ampnetworkflow (as published, or with a dkms.conf), inside the root: where the kernel has no such module, faults 8 and 9 build it with DKMS for that kernel and load it (live host). Repeat for both modules. A source registered with DKMS or unpacked as /usr/src/ampfsm-VERSION is found without it.", repeats: true)
    static let bpfObjectsOption = OptionSpec("--bpf-objects", value: "DIR", help: "The connector's eBPF programs (*.bpf.o) that fault 16 loads and attaches (default %1$s). A directory on this machine.", helpArguments: [DataFiles.defaultBPFObjects])
    static let statusTimeoutOption = OptionSpec("--status-timeout", value: "SECONDS", help: "Seconds to wait for the connector's status before killing it (default 5).", takesAnyValue: true)
    static let options = [
        policyModuleOption,
        kernelOption,
        kernelSupportOption,
        bpfObjectsOption,
        definitionsOption,
        ampcliOption,
        moduleSourceOption,
        statusTimeoutOption,
    ]

    var policyModule: String?
    var kernel: String?
    var kernelSupport: String?
    var bpfObjects: String?
    var definitions: String?
    var ampcli: String?
    var moduleSource: [String]
    var statusTimeout: Double

    init(_ parsed: ParsedArguments) throws(UsageError) {
        policyModule = parsed.declares(Self.policyModuleOption) ? parsed.string(Self.policyModuleOption) : nil
        kernel = parsed.string(Self.kernelOption)
        kernelSupport = parsed.string(Self.kernelSupportOption)
        bpfObjects = parsed.string(Self.bpfObjectsOption)
        definitions = parsed.string(Self.definitionsOption)
        ampcli = parsed.string(Self.ampcliOption)
        moduleSource = parsed.declares(Self.moduleSourceOption) ? parsed.strings(Self.moduleSourceOption) : []
        statusTimeout = try parsed.value(Self.statusTimeoutOption, Double.init) ?? 5
    }

    func validate() throws {
        for (option, value) in [("--policy-module", policyModule), ("--kernel-support", kernelSupport), ("--bpf-objects", bpfObjects), ("--definitions", definitions), ("--ampcli", ampcli), ("--kernel", kernel)] {
            if value?.isEmpty == true { throw ValidationError(.msg("\(option) '': name a file or directory, not an empty string")) }
        }
        for directory in moduleSource where !directory.hasPrefix("/") || directory.split(separator: "/").contains("..") {
            throw ValidationError(.msg("--module-source \(directory): must be an absolute path inside the root, without '..'"))
        }
        if let definitions, !definitions.hasPrefix("/") {
            throw ValidationError(.msg("--definitions \(definitions): must be an absolute path inside the root"))
        }
        if let ampcli, let problem = PathCheck.executable(ampcli) {
            throw ValidationError(.msg("--ampcli \(ampcli): \(problem)"))
        }
        guard statusTimeout.isFinite, statusTimeout > 0, statusTimeout <= 3600 else {
            throw ValidationError(.msg("--status-timeout \(statusTimeout): must be a number of seconds above 0 (at most 3600)"))
        }
        if let kernel, !KernelRelease.isValid(kernel) {
            throw ValidationError(.msg("--kernel \(kernel): a kernel release is one plain word like 6.1.0-18-amd64 (letters, digits and . _ + ~ -), not a path"))
        }
    }

    func repairOptions(restartConnector: Bool = false) -> RepairOptions {
        var options = RepairOptions(restartConnector: restartConnector, kernelRelease: kernel,
                                    definitionsDirectory: definitions ?? RepairOptions.defaultDefinitionsDirectory)
        options.moduleSources = moduleSource.map { String($0.reversed().drop { $0 == "/" }.reversed()) }.map { $0.isEmpty ? "/" : $0 }
        return options
    }

    /// The request these options make, with the command line's mode and faults.
    func request(_ mode: RunMode, named: [FaultID] = [], restartConnector: Bool = false, output: OutputOptions) -> RunRequest {
        request(mode, named: named, restartConnector: restartConnector, language: output.language, depth: output.verbose ? .thorough : .quick)
    }

    func request(_ mode: RunMode, named: [FaultID], restartConnector: Bool = false, language: Language, depth: DiagnosisDepth) -> RunRequest {
        RunRequest(mode: mode, named: named, options: repairOptions(restartConnector: restartConnector),
                   data: DataFiles(policyModule: policyModule, kernelSupport: kernelSupport, bpfObjects: bpfObjects),
                   connector: ConnectorAccess(ampcli: ampcli, timeout: statusTimeout), language: language,
                   depth: depth, command: processCommandLine)
    }
}
