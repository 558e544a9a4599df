import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine
import Dispatch
import Foundation
import Synchronization

extension Ampfix {
    /// A monitoring plugin: Nagios, Icinga, Naemon, Checkmk's classic checks, NRPE.
    struct Check: AmpfixCommand {
        static let nArgument = ArgumentSpec("N", count: .many, completion: .words(FaultID.allCases.map(\.description)), help: "The faults to check (default: every fault).")
        static let timeoutOption = OptionSpec("-t", "--timeout", value: "SECONDS", help: "Answer UNKNOWN if the check has not finished within SECONDS (default 10), the wait for another ampfix's run included: check_nrpe gives up after 10 s.", takesAnyValue: true)
        static let versionOption = OptionSpec("-V", "--version", help: "Print ampfix's version and exit, as monitoring plugins do.")
        static let journalOption = OptionSpec("--journal", help: "Also send the diagnosis's entries to the systemd journal (a check sends none by default: it runs every few minutes, and the hourly audit journals).")
        /// The diagnosis's options without --module-source, which only says what a repair would
        /// build (--policy-module stays: fault 19 compares the installed module with it).
        static let diagnosisOptions = DiagnosisOptions.options.filter { option in
            !option.names.contains { DiagnosisOptions.moduleSourceOption.names.contains($0) }
        }
        /// Where the sudo rule for a monitoring user is shipped.
        static let sudoRule = "/usr/share/ampfix/monitoring/sudoers.d/ampfix-check"
        static let spec = CommandSpec(
            name: "check",
            abstract: "Diagnose and answer as a Nagios/Icinga monitoring plugin (one status line with performance data).",
            discussion: """
                Changes nothing, and sends nothing to the journal unless --journal is given.
                Prints one line, then a line per fault that is not ok:
                  AMPFIX WARNING - faults present: 5, 19 | present=2;0;;0;9 raised=0;;0;0;9 unknown=0;;;0;9 accepted=0;;;0;9
                Performance data (thresholds as the plugin guidelines read them: above 0 is an
                alert): present, the faults with a cause (warning); raised, those the connector
                also raises (critical); unknown, those that could not be evaluated; accepted,
                those /etc/ampfix/accepted.d accepts until a date (OK).

                It reads what only root may read (/etc/shadow, /opt/cisco/amp): run it as root,
                or from NRPE or an Icinga agent through sudo with the rule in %1$s.

                EXIT STATUS (the monitoring plugin codes, not ampfix's own)
                  0   OK        no checked fault is present
                  1   WARNING   a fault is present
                  2   CRITICAL  a fault the connector itself raises is present, or the newest run
                                in the journal failed to repair a fault that is still present
                  3   UNKNOWN   a fault could not be evaluated (and none is present), or ampfix
                                could not check at all (bad option, unreadable root, --timeout)
                """,
            discussionArguments: [sudoRule],
            options: diagnosisOptions + HostOptions.options + MetricsOptions.options + [journalOption, timeoutOption, versionOption, OutputOptions.langOption],
            arguments: [nArgument]
        )

        var faults: [FaultID]
        var diagnosis: DiagnosisOptions
        var host: HostOptions
        var metrics: MetricsOptions
        var journal: Bool
        var timeout: Double
        var version: Bool

        init(_ parsed: ParsedArguments) throws(UsageError) {
            faults = try parsed.arguments(Self.nArgument, valid: FaultID.allCases.map(\.description), FaultID.init(argument:))
            diagnosis = try DiagnosisOptions(parsed)
            host = try HostOptions(parsed)
            metrics = MetricsOptions(parsed)
            journal = parsed.flag(Self.journalOption)
            timeout = try parsed.value(Self.timeoutOption, Double.init) ?? 10
            version = parsed.flag(Self.versionOption)
            // The wait for another run's lock ends before the check's own time is up, so that
            // the answer names the lock, not only the time.
            if parsed.string(HostOptions.lockTimeoutOption) == nil || host.lockTimeout > timeout * 0.8 {
                host.lockTimeout = max(0, timeout * 0.8)
            }
        }

        func validate() throws {
            guard timeout.isFinite, timeout > 0, timeout <= 3600 else {
                throw ValidationError(.msg("--timeout \(timeout): must be a number of seconds above 0, at most 3600"))
            }
            try diagnosis.validate()
            try host.validate()
            try metrics.validate()
        }

        func run() throws {
            if version {
                print("ampfix \(AmpfixVersion.current)")
                return
            }
            let answer = PluginAnswer(timeout: timeout)
            let started = ContinuousClock.now
            let check: PluginCheck
            var claimed = false
            do {
                let adapters = try Composition.adapters(host) { _ in }
                let request = diagnosis.request(.diagnose, named: faults, language: .en, depth: .quick)
                var report = try adapters.perform(request)
                // The answer is this run's from here: the watchdog does not end a metrics file
                // halfway (its temporary file would be left in the collector's directory).
                guard answer.claim() else { while true { pause() } }
                claimed = true
                let metricsFailure = metrics.record(&report, started: started)
                if journal, host.root == "/" { RunOutputs.sendToJournal(report, run: request.run) }
                report.render(Speech.translation)
                var verdict = PluginCheck(report, failedRepairs: try Self.failedRepairs(adapters.journal), translation: Speech.translation)
                if report.faults.contains(where: { $0.status == .unknown }), geteuid() != 0 {
                    verdict.lines.append(Speech.say(.msg("ampfix check runs as uid \(String(geteuid())), not root, and cannot read everything it checks: run it as root, or through sudo with the rule in \(Self.sudoRule)")))
                }
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
            answer.give(check, claimed: claimed)
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

/// The plugin's one answer: the check's, or UNKNOWN when --timeout passes first (whichever comes
/// first is printed; the process then ends with its state).
final class PluginAnswer: Sendable {
    private let given = Mutex(false)

    init(timeout: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
            let seconds = String(format: "%g", timeout)
            guard claim() else { return }
            // What the diagnosis runs (the connector's status command) ends with it.
            Programs.endRunningTools()
            give(.unknown(Speech.say(.msg("ampfix check did not finish within \(seconds) s (-t, --timeout)"))), claimed: true)
        }
    }

    /// Takes the answer for the caller; false when the other side has it already.
    func claim() -> Bool {
        given.withLock { given in
            defer { given = true }
            return !given
        }
    }

    /// Prints `check` and exits with its state; `claimed`: the caller has taken the answer
    /// (`claim`), else it is taken here, and nothing is printed when the other side had it.
    func give(_ check: PluginCheck, claimed: Bool = false) -> Never {
        guard claimed || claim() else { while true { pause() } }
        print(check.text, terminator: "")
        fflush(nil)
        exit(check.state.rawValue)
    }
}
