import AmpfixCore
import AmpfixHost
import AmpfixSystem
import ArgumentParser

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
        subcommands: [List.self, Explain.self, Undo.self, WithUserGroups.self, Package.self, Sample.self, Collect.self, Check.self]
    )

    // Unconditional: "-5" is a bad fault id to name, not a missing value.
    @Option(name: .customLong("fault"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Repair this fault; repeat for several.", valueName: "N"))
    var faults: [FaultID] = []

    @Flag(help: "Repair every fault found.")
    var all = false

    @Flag(help: "Print the exact plan and change nothing, byte for byte.")
    var dryRun = false

    @Flag(help: "Do not restart the connector (cisco-amp) after repairing it.")
    var noRestart = false

    @Option(parsing: .unconditional, help: ArgumentHelp("With fault 6 repaired: ask the connector until it clears fault 6 or DURATION passes (90s, 10m, 1h; at most 24h), with progress on a terminal. Off by default.", valueName: "DURATION"))
    var wait: WaitDuration?

    @OptionGroup var diagnosis: DiagnosisOptions
    @OptionGroup var host: HostOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var metrics: MetricsOptions
    @OptionGroup var journal: JournalOptions

    func validate() throws {
        try diagnosis.validate()
        if all && !faults.isEmpty {
            throw ValidationError("use either --all or --fault, not both")
        }
        if wait != nil, dryRun || !(all || faults.contains(.scanServiceRestarting)) {
            throw ValidationError("--wait watches a repair of fault 6: use it with --fault 6 or --all, without --dry-run")
        }
        try host.validate()
        try output.validate()
        try metrics.validate()
    }

    func run() throws {
        let mode: RunMode = dryRun ? .dryRun : (all || !faults.isEmpty) ? .repair : .diagnose
        let started = ContinuousClock.now
        var request = diagnosis.request(mode, named: all ? [] : faults, restartConnector: !noRestart, output: output)
        request.wait = wait?.duration
        var report = try Composition.runtime {
            try Composition.adapters(host, note: output.note).perform(request, note: output.note, progress: StatusLine(quiet: output.quiet))
        }
        metrics.record(&report, started: started)
        journal.send(report, root: host.root)
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


/// A duration on the command line: `90`, `90s`, `10m`, `1h` (a number with s, m or h).
struct WaitDuration: ExpressibleByArgument {
    var duration: Duration

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var text = Substring(argument)
        var factor = 1.0
        if let last = text.last, let unit = units[last] {
            factor = unit
            text = text.dropLast()
        }
        guard let number = Double(text), number.isFinite, number > 0, number * factor <= 86_400 else { return nil }
        duration = .milliseconds(Int((number * factor * 1000).rounded()))
    }
}
