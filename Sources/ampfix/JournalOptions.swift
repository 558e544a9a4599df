import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

/// The run's entries in the systemd journal (live host only).
struct JournalOptions {
    static let noJournalOption = OptionSpec("--no-journal", help: "Send nothing to the systemd journal (by default a run on the live host sends an entry per fault and per applied, failed or reverted action).")
    static let options = [
        noJournalOption,
    ]

    var noJournal: Bool

    init(_ parsed: ParsedArguments) {
        noJournal = parsed.flag(Self.noJournalOption)
    }

    /// Sends a diagnosis's, dry run's or repair's entries when on the live host (not under
    /// --root: the image's faults are not this host's) and not turned off.
    /// - Parameter run: the invocation's run id (`RunRequest.run`), the one a repair journals
    ///   under too.
    func send(_ report: Report, run: String, root: String) {
        guard !noJournal, root == "/" else { return }
        RunOutputs.sendToJournal(report, run: run)
    }

    func send(_ report: PreflightReport, run: String, root: String) {
        guard !noJournal, root == "/" else { return }
        RunOutputs.sendToJournal(report, run: run)
    }

    func send(_ undo: UndoResult, root: String) {
        guard !noJournal, root == "/" else { return }
        RunOutputs.sendToJournal(undo)
    }
}
