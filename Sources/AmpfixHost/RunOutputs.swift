import AmpfixCore
import AmpfixSystem

/// What a run writes or sends besides its report, and the language it speaks: the host's side
/// of the command line's options (--prometheus, the systemd journal, --lang), so that the
/// command line itself only parses, asks and prints.
public enum RunOutputs {
    /// The run's metrics in the Prometheus text format, replacing `path` atomically (mode 0644,
    /// whatever the umask: node_exporter runs as its own user).
    public static func writeMetrics(_ report: Report, to path: String, seconds: Double) throws {
        try writeMetrics(PrometheusText.render(report, timing: .init(ended: SystemClock.secondsSince1970(), seconds: seconds)), to: path)
    }

    /// A preflight's metrics (ampfix_kernel_ready and each prediction).
    public static func writeMetrics(_ report: PreflightReport, to path: String, seconds: Double) throws {
        try writeMetrics(PrometheusText.render(report, timing: .init(ended: SystemClock.secondsSince1970(), seconds: seconds)), to: path)
    }

    static func writeMetrics(_ text: String, to path: String) throws {
        try OutputFile.write(to: path, mode: 0o644, existing: .replace) { fd in _ = try fd.writeAllChecked(Array(text.utf8)) }
    }

    /// A diagnosis's, dry run's or repair's entries in the systemd journal, under the run's id.
    public static func sendToJournal(_ report: Report, run: String) {
        SystemdJournal.send(JournalEntries.entries(of: report, run: report.run ?? run))
    }

    /// A preflight's entry in the systemd journal.
    public static func sendToJournal(_ report: PreflightReport, run: String) {
        SystemdJournal.send(JournalEntries.entries(of: report, run: run))
    }

    /// An undo's entries in the systemd journal.
    public static func sendToJournal(_ undo: UndoResult) {
        SystemdJournal.send(JournalEntries.entries(of: undo))
    }

    /// The catalog of ampfix's words in `language` (gettext), English where there is none.
    /// - Parameter missing: told when the language names a catalog that is not installed.
    public static func translation(_ language: ReportLanguage, environment: [String: String], missing: (Message) -> Void = { _ in }) -> any Translating {
        GettextTranslation.forLanguage(language, environment: environment, missing: missing)
    }
}

extension HostAdapters {
    /// `ampfix sample`: the live host's events for `seconds` (fanotify, the proc connector).
    public static func sampleEvents(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable> {
        LiveEventSampler().sample(seconds: seconds, top: top, progress: progress)
    }

    /// `ampfix with-user-groups`: `command` run with USERGROUPS_ENAB yes in the root's
    /// login.defs, under this process's supervision (signals passed on); the file restored after.
    /// - Parameter starting: told just before the command starts.
    public func withUserGroups(_ command: [String], journaledAs commandLine: [String], note: @escaping (Message) -> Void,
                               starting: () -> Void, cannotStart: (HostError) -> Void) throws -> TemporaryUserGroups.Outcome {
        try journalRun(note: note).withUserGroups(command: commandLine, recovered: { note(.msg("recovery: \($0)")) }) { claim in
            starting()
            let inherited = (claim as? InheritableClaim).map { [$0.descriptor] } ?? []
            return SupervisedCommand.run(command, inheriting: inherited, onStartFailure: cannotStart)
        }
    }
}
