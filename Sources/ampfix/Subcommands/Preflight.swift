import AmpfixCommandLine
import AmpfixCore
import AmpfixHost
import AmpfixSystem

extension Ampfix {
    /// Before the connector and before the reboot: the faults it would raise.
    struct Preflight: AmpfixCommand {
        static let fixOption = OptionSpec("--fix", help: "Prevent what can be prevented: the repairs of the predicted faults that have one (19 installs cisco-secure-bpf, 11 the headers, 5 the scan account with its own group, 8 and 9 a DKMS build with --module-source), journaled and undoable as always; then predict again.")
        static let dryRunOption = OptionSpec("--dry-run", help: "With --fix: show what it would change, change nothing.")
        static let faultOption = OptionSpec("--fault", value: "N", help: "With --fix: prevent only this fault's predictions; repeat for several (values: %1$s). Every fault is still predicted and kept. The kernel hook's after-transaction unit uses --fault 11 --fault 8 --fault 9.", helpArguments: [FaultID.validList],
                                            takesAnyValue: true, repeats: true, completion: .words(FaultID.allCases.map(\.description)))
        static let noRecordOption = OptionSpec("--no-record", help: "Do not keep the predictions (by default they are kept in ROOT%1$s, per kernel, for a later diagnosis to set against what the connector raises).", helpArguments: [PreflightRecord.path])
        static let spec = CommandSpec(
            name: "preflight",
            abstract: "Predict the faults the connector would raise if it were installed now, or after booting --kernel RELEASE.",
            discussion: """
                Works with or without the connector. For the running kernel it loads the
                connector's own eBPF programs, attaches each and detaches it at once (nothing
                stays in the kernel); for another kernel or an image it reads
                /boot/config-RELEASE and /boot/System.map-RELEASE. A prediction that blocks keeps
                the connector from monitoring (8, 9, 11, 16, 19); the others degrade it or warn
                (5, disk space, memory, another fanotify user, the SELinux tools).

                The predictions are kept per kernel in ROOT/var/lib/ampfix/preflight.json;
                once the connector runs, a diagnosis sets them against the faults its status
                raises: predicted and raised, predicted and not raised, raised and not
                predicted (text, JSON "preflight", ampfix_preflight_agreement).

                EXIT STATUS
                  0   nothing predicted
                  1   a fault or shortage is predicted
                  2   something could not be predicted (and nothing is predicted)
                  64  usage error
                """,
            options: [fixOption, dryRunOption, faultOption, Ampfix.noRestartOption, Ampfix.packageLockWaitOption, noRecordOption]
                + DiagnosisOptions.options + HostOptions.options + MetricsOptions.options
                + JournalOptions.options + [OutputOptions.jsonOption, OutputOptions.langOption, OutputOptions.verboseOption, OutputOptions.quietOption]
        )

        var fix: Bool
        var dryRun: Bool
        var faults: [FaultID]
        var noRestart: Bool
        var packageLockWait: WaitDuration?
        var noRecord: Bool
        var diagnosis: DiagnosisOptions
        var host: HostOptions
        var metrics: MetricsOptions
        var output: OutputOptions
        var journal: JournalOptions

        init(_ parsed: ParsedArguments) throws(UsageError) {
            fix = parsed.flag(Self.fixOption)
            dryRun = parsed.flag(Self.dryRunOption)
            faults = try parsed.values(Self.faultOption, valid: FaultID.allCases.map(\.description), FaultID.init(argument:))
            noRestart = parsed.flag(Ampfix.noRestartOption)
            packageLockWait = try parsed.value(Ampfix.packageLockWaitOption, WaitDuration.init(argument:))
            noRecord = parsed.flag(Self.noRecordOption)
            diagnosis = try DiagnosisOptions(parsed)
            host = try HostOptions(parsed)
            metrics = MetricsOptions(parsed)
            output = OutputOptions(parsed)
            journal = JournalOptions(parsed)
        }

        func validate() throws {
            try diagnosis.validate()
            try host.validate()
            try metrics.validate()
            try output.validate()
            if dryRun && !fix { throw ValidationError(.msg("--dry-run previews --fix: use them together")) }
            if !fix, !faults.isEmpty || noRestart { throw ValidationError(.msg("--fault and --no-restart choose what --fix does: use them with --fix")) }
            if packageLockWait != nil, dryRun || !fix {
                throw ValidationError(.msg("--package-lock-wait waits before a repair: use it with --fix, without --dry-run"))
            }
        }

        func run() throws {
            let started = ContinuousClock.now
            // Before the first prediction: what a running transaction installs changes it.
            if let packageLockWait, host.root == "/" {
                _ = PackageLocks.waitUntilFree(limit: packageLockWait.duration, waiting: output.note)
            }
            var request = diagnosis.request(.diagnose, named: [], restartConnector: true, output: output)
            request.depth = .thorough
            let adapters = try Composition.runtime { try Composition.adapters(host, note: output.note) }
            var report = adapters.preflight(request)
            let preventing = report.fixableFaults.filter { faults.isEmpty || faults.contains($0) }
            if fix, !preventing.isEmpty {
                var repair = diagnosis.request(dryRun ? .dryRun : .repair, named: preventing, restartConnector: !noRestart, output: output)
                repair.depth = .thorough
                let repaired = try Composition.runtime { try adapters.perform(repair, note: output.note) }
                if !dryRun { report = adapters.preflight(request) }
                report.fix = repaired
                // JSON: one document, the repair inside it (`fix`); text: the repair, then the predictions.
                if !output.json {
                    output.show(repaired)
                    if !output.quiet { print("") }
                }
            }
            // A dry run leaves the root as it found it; the predictions before a repair would
            // not be what the connector meets.
            if !noRecord, !(fix && dryRun) {
                do { report.recorded = try adapters.keep(report) } catch { Speech.warning(.msg("the predictions were not kept for a later comparison: \(error)")) }
            }
            metrics.record(preflight: &report, started: started)
            journal.send(report, run: request.run, root: host.root)
            try output.emit(report)
        }
    }
}
