import AmpfixCore
import AmpfixHost
import ArgumentParser
import Glibc

struct Ampfix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ampfix",
        abstract: "Diagnose and repair what Cisco Secure Endpoint Linux connector faults point at.",
        discussion: """
            Without --fault or --all, ampfix diagnoses every fault and changes nothing.
            --fault N (repeatable) repairs those faults; --all repairs every fault found.
            --dry-run prints the exact plan instead (alone, it plans for every fault).
            Every change is journaled under ROOT/var/lib/ampfix/journal before it is
            made; `ampfix undo` reverts the last run. One ampfix runs on a root at a time.

            Faults: \(FaultID.validList) (`ampfix list`, `ampfix explain N`).

            EXIT STATUS
              0   no selected fault is present (after the repair, when repairing)
              1   a fault remains present
              2   a fault could not be evaluated, or a runtime error (message on stderr)
              64  usage error: unknown option, bad fault id, bad --root; nothing was done
            """,
        version: AmpfixVersion.current,
        subcommands: [ListFaults.self, Explain.self, UndoRun.self, WithUserGroups.self, PackageInfo.self, Sample.self]
    )

    @Option(name: .customLong("fault"), help: ArgumentHelp("Repair this fault; repeat for several.", valueName: "N"))
    var faults: [FaultID] = []

    @Flag(help: "Repair every fault found.")
    var all = false

    @Flag(help: "Print the exact plan and change nothing, byte for byte.")
    var dryRun = false

    @Flag(help: "Do not restart the connector (cisco-amp) after repairing it.")
    var noRestart = false

    @Option(help: ArgumentHelp("The SELinux module to install for fault 19 (.cil or .pp; default \(DataFiles.defaultPolicyModule)).", valueName: "FILE"))
    var policyModule: String?

    @Option(help: ArgumentHelp("Diagnose this kernel release instead of the running one (faults 11 and 16; for images).", valueName: "RELEASE"))
    var kernel: String?

    @Option(help: ArgumentHelp("The kernel support table for fault 16 (default \(DataFiles.defaultKernelSupport)).", valueName: "FILE"))
    var kernelSupport: String?

    @Option(help: ArgumentHelp("The connector's ClamAV definitions directory, inside the root (fault 7; default \(RepairOptions.defaultDefinitionsDirectory)).", valueName: "DIR"))
    var definitions: String?

    @Option(help: ArgumentHelp("The connector's status command, run as `PATH status` (default \(ConnectorAccess.defaultAmpcli) on a live host; under --root no connector is asked unless this is given). A path on this machine.", valueName: "PATH"))
    var ampcli: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for the connector's status before killing it (default 5).", valueName: "SECONDS"))
    var statusTimeout: Double = 5

    @OptionGroup var host: HostOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let definitions, !definitions.hasPrefix("/") {
            throw ValidationError("--definitions \(definitions): must be an absolute path inside the root")
        }
        if let ampcli, access(ampcli, X_OK) != 0 {
            throw ValidationError("--ampcli \(ampcli): not an executable file")
        }
        guard statusTimeout.isFinite, statusTimeout > 0, statusTimeout <= 3600 else {
            throw ValidationError("--status-timeout \(statusTimeout): must be a number of seconds above 0 (at most 3600)")
        }
        if all && !faults.isEmpty {
            throw ValidationError("use either --all or --fault, not both")
        }
        if let kernel, !KernelRelease.isValid(kernel) {
            throw ValidationError("--kernel \(kernel): a kernel release is a plain name like 6.1.0-18-amd64, not a path")
        }
        try host.validate()
        try output.validate()
    }

    func run() throws {
        let selected = (all || faults.isEmpty) ? FaultID.allCases : Array(Set(faults)).sorted()
        let mode: RunMode = dryRun ? .dryRun : (all || !faults.isEmpty) ? .repair : .diagnose
        var options = RepairOptions(restartConnector: !noRestart, kernelRelease: kernel,
                                    definitionsDirectory: definitions ?? RepairOptions.defaultDefinitionsDirectory)
        // Named on its own, fault 18 samples the host's events (live only) for its evidence.
        if faults.contains(.eventMonitoringOverloaded) { options.sampleSeconds = 5 }
        let data = DataFiles(policyModule: policyModule, kernelSupport: kernelSupport)
        let connector = ConnectorAccess(ampcli: ampcli, timeout: statusTimeout)
        let report = try Composition.runtime {
            try Composition.adapters(host, note: output.note)
                .run(options, data: data, connector: connector, language: output.language, note: output.note)
                .perform(mode, faults: selected, command: CommandLine.arguments, depth: output.verbose ? .thorough : .quick)
        }
        try output.emit(report)
    }
}

extension FaultID: ExpressibleByArgument {
    public init?(argument: String) {
        guard let number = Int(argument), let id = FaultID(rawValue: number) else { return nil }
        self = id
    }

    public static var allValueStrings: [String] { allCases.map(\.description) }
}

extension Language: ExpressibleByArgument {}
