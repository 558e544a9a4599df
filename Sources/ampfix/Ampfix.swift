import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

struct Ampfix: AmpfixCommand {
    /// Every subcommand, in the order --help lists them: the one list that help, completion
    /// and dispatch (`command(for:)`) read.
    static var subcommands: [any AmpfixCommand.Type] {
        [List.self, Explain.self, Preflight.self, Undo.self, WithUserGroups.self, Package.self, Sample.self, Collect.self, Check.self]
    }

    static let faultOption = OptionSpec("--fault", value: "N", help: "Repair this fault; repeat for several. (values: %1$s)", helpArguments: [FaultID.validList], takesAnyValue: true,
                       repeats: true, completion: .words(FaultID.allCases.map(\.description)))
    static let allOption = OptionSpec("--all", help: "Repair every fault found.")
    static let dryRunOption = OptionSpec("--dry-run", help: "Print the exact plan and change nothing, byte for byte.")
    static let noRestartOption = OptionSpec("--no-restart", help: "Do not restart the connector (cisco-amp) after repairing it.")
    static let waitOption = OptionSpec("--wait", value: "DURATION", help: "With fault 6 repaired: ask the connector until it clears fault 6 or DURATION passes (90s, 10m, 1h; at most 24h), with progress on a terminal. Off by default.", takesAnyValue: true)
    static let packageLockWaitOption = OptionSpec("--package-lock-wait", value: "DURATION", help: "With a repair that installs packages (fault 11): first wait up to DURATION (90s, 10m, 1h; at most 24h) for a running package transaction (the dpkg or rpm lock) to end, instead of leaving the install for later. The kernel hook's after-transaction unit uses it.", takesAnyValue: true)
    static let spec = CommandSpec(
        name: "ampfix",
        abstract: "Diagnose and repair what Cisco Secure Endpoint Linux connector faults point at.",
        discussion: """
            Without --fault or --all, ampfix diagnoses every fault and changes nothing.
            --fault N (repeatable) repairs those faults; --all repairs every fault found.
            --dry-run prints the exact plan instead (alone, it plans for every fault).
            Every change is journaled under ROOT/var/lib/ampfix/journal before it is
            made; `ampfix undo` reverts the last run. One ampfix runs on a root at a time.

            Faults: %1$s (`ampfix list`, `ampfix explain N`).

            EXIT STATUS
              0   no selected fault is present (after the repair, when repairing)
              1   a fault remains present
              2   a fault could not be evaluated, or a runtime error (message on stderr)
              64  usage error: unknown option, bad fault id, bad --root; nothing was done
            """,
        discussionArguments: [FaultID.validList],
        options: [
            // Any value: "-5" is a bad fault id to name, not a missing value.
            faultOption,
            allOption,
            dryRunOption,
            noRestartOption,
            waitOption,
            packageLockWaitOption,
        ] + DiagnosisOptions.options + HostOptions.options + OutputOptions.options + MetricsOptions.options + JournalOptions.options,
        subcommands: subcommands.map { $0.spec },
        version: AmpfixVersion.current
    )

    var faults: [FaultID]
    var all: Bool
    var dryRun: Bool
    var noRestart: Bool
    var wait: WaitDuration?
    var packageLockWait: WaitDuration?
    var diagnosis: DiagnosisOptions
    var host: HostOptions
    var output: OutputOptions
    var metrics: MetricsOptions
    var journal: JournalOptions

    init(_ parsed: ParsedArguments) throws(UsageError) {
        faults = try parsed.values(Self.faultOption, valid: FaultID.allCases.map(\.description), FaultID.init(argument:))
        all = parsed.flag(Self.allOption)
        dryRun = parsed.flag(Self.dryRunOption)
        noRestart = parsed.flag(Self.noRestartOption)
        wait = try parsed.value(Self.waitOption, WaitDuration.init(argument:))
        packageLockWait = try parsed.value(Self.packageLockWaitOption, WaitDuration.init(argument:))
        diagnosis = try DiagnosisOptions(parsed)
        host = try HostOptions(parsed)
        output = OutputOptions(parsed)
        metrics = MetricsOptions(parsed)
        journal = JournalOptions(parsed)
    }

    func validate() throws {
        try diagnosis.validate()
        if all && !faults.isEmpty {
            throw ValidationError(.msg("use either --all or --fault, not both"))
        }
        if wait != nil, dryRun || !(all || faults.contains(.scanServiceRestarting)) {
            throw ValidationError(.msg("--wait watches a repair of fault 6: use it with --fault 6 or --all, without --dry-run"))
        }
        if packageLockWait != nil, dryRun || !(all || !faults.isEmpty) {
            throw ValidationError(.msg("--package-lock-wait waits before a repair: use it with --fault or --all, without --dry-run"))
        }
        try host.validate()
        try output.validate()
        try metrics.validate()
    }

    func run() throws {
        let mode: RunMode = dryRun ? .dryRun : (all || !faults.isEmpty) ? .repair : .diagnose
        let started = ContinuousClock.now
        // Packages are installed only on the live host; a lock still held when the time is up
        // leaves the install for later, and the report says so.
        if let packageLockWait, host.root == "/" {
            _ = PackageLocks.waitUntilFree(limit: packageLockWait.duration, waiting: output.note)
        }
        var request = diagnosis.request(mode, named: all ? [] : faults, restartConnector: !noRestart, output: output)
        request.wait = wait?.duration
        let translation = output.translation
        var report = try Composition.runtime {
            try Composition.adapters(host, note: output.note).perform(request, note: output.note, progress: StatusLine(quiet: output.quiet,
                    translation: Speech.translation))
        }
        metrics.record(&report, started: started)
        journal.send(report, run: request.run, root: host.root)
        try output.emit(report, translation: translation)
    }
}

extension FaultID {
    init?(argument: String) {
        guard let number = Int(argument), let id = FaultID(rawValue: number) else { return nil }
        self = id
    }
}


/// A duration on the command line: `90`, `90s`, `10m`, `1h` (a number with s, m or h).
struct WaitDuration {
    var duration: Duration

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var text = Substring(argument)
        var factor = 1.0
        if let last = text.last, let unit = units[last] {
            factor = unit
            text = text.dropLast()
        }
        // Decimal digits with an optional fraction: Double would also take 0x10, 1e2 and +10.
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }) else { return nil }
        guard let number = Double(text), number.isFinite, number * factor <= 86_400 else { return nil }
        let milliseconds = Int((number * factor * 1000).rounded())
        guard milliseconds >= 1 else { return nil }
        duration = .milliseconds(milliseconds)
    }
}
