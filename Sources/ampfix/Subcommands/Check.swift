import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

extension Ampfix {
    /// A monitoring plugin: Nagios, Icinga, Naemon, Checkmk's classic checks, NRPE.
    struct Check: AmpfixCommand {
        static let nArgument = ArgumentSpec("N", count: .many, completion: .words(FaultID.allCases.map(\.description)), help: "The faults to check (default: every fault).")
        static let spec = CommandSpec(
            name: "check",
            abstract: "Diagnose and answer as a Nagios/Icinga monitoring plugin (one status line with performance data).",
            discussion: """
                Changes nothing. Prints one line, then a line per fault that is not ok:
                  AMPFIX WARNING - faults present: 5, 19 | present=2;1;;0;9 unknown=0;;1;0;9

                EXIT STATUS (the monitoring plugin codes, not ampfix's own)
                  0   OK        no checked fault is present
                  1   WARNING   a fault is present
                  2   CRITICAL  a fault the connector itself raises is present, or the newest run
                                in the journal failed to repair a fault that is still present
                  3   UNKNOWN   a fault could not be evaluated (and none is present), or ampfix
                                could not check at all (bad option, unreadable root)
                """,
            options: DiagnosisOptions.options + HostOptions.options + MetricsOptions.options + JournalOptions.options + [OutputOptions.langOption],
            arguments: [nArgument]
        )

        var faults: [FaultID]
        var diagnosis: DiagnosisOptions
        var host: HostOptions
        var metrics: MetricsOptions
        var journal: JournalOptions

        init(_ parsed: ParsedArguments) throws(UsageError) {
            faults = try parsed.arguments(Self.nArgument, valid: FaultID.allCases.map(\.description), FaultID.init(argument:))
            diagnosis = try DiagnosisOptions(parsed)
            host = try HostOptions(parsed)
            metrics = MetricsOptions(parsed)
            journal = JournalOptions(parsed)
        }

        func validate() throws {
            try diagnosis.validate()
            try host.validate()
            try metrics.validate()
        }

        func run() throws {
            let started = ContinuousClock.now
            let check: PluginCheck
            do {
                let adapters = try Composition.adapters(host) { _ in }
                let request = diagnosis.request(.diagnose, named: faults, language: .en, depth: .quick)
                var report = try adapters.perform(request)
                let metricsFailure = metrics.record(&report, started: started)
                journal.send(report, run: request.run, root: host.root)
                report.render(Speech.translation)
                let verdict = PluginCheck(report, failedRepairs: try Self.failedRepairs(adapters.journal), translation: Speech.translation)
                // Metrics asked for and not written: never OK (alerts on a stale file would be
                // the only sign); a WARNING or CRITICAL says more than that and stays.
                if let metricsFailure, verdict.state == .ok {
                    check = .unknown(Speech.say(.msg("the faults are ok, but the metrics were not written: \(metricsFailure)")))
                } else {
                    check = verdict
                }
            } catch {
                check = .unknown(Speech.say(error))
            }
            print(check.text, terminator: "")
            throw ExitCode(check.state.rawValue)
        }

        /// The failed actions of the newest run in the journal, unless that run was undone. Only
        /// that run's journal is read (a monitoring system runs the check every few minutes);
        /// runs without a begin record changed nothing and are passed over.
        static func failedRepairs(_ journal: some JournalStore) throws -> [PluginCheck.FailedRepair] {
            var found: RunJournal?
            for run in try journal.runs().reversed() {
                do { found = try journal.journal(of: run) } catch is JournalWithoutBegin { continue }
                break
            }
            guard let newest = found, !newest.undoEnded else { return [] }
            return newest.progress.indices.compactMap { seq in
                guard case .failed(let reason) = newest.progress[seq] else { return nil }
                return PluginCheck.FailedRepair(run: newest.run, fault: newest.actions[seq].fault.rawValue, reason: reason)
            }
        }
    }
}
