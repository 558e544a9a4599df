import AmpfixCore
import AmpfixSystem
import ArgumentParser
import Glibc

struct ListFaults: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the faults ampfix knows, and whether it repairs or only explains each."
    )

    @OptionGroup var output: OutputOptions

    func run() throws {
        let entries = FaultCatalog.entries(language: output.language)
        print(output.json ? OutputOptions.json(entries) : TextRenderer().renderList(entries), terminator: output.json ? "\n" : "")
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a fault: when the connector raises it, what to do, what ampfix repairs."
    )

    @Argument(help: ArgumentHelp("The fault number: \(FaultID.validList).", valueName: "N"))
    var fault: FaultID

    @OptionGroup var output: OutputOptions

    func run() throws {
        let entry = FaultCatalog.entry(fault, language: output.language)
        print(output.json ? OutputOptions.json(entry) : TextRenderer().render(entry), terminator: output.json ? "\n" : "")
    }
}

struct UndoRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert the changes of the last run (or of RUN-ID) that can be reverted.",
        discussion: """
            Changes are reverted newest first, each journaled before it is made. A change whose
            object was modified again since the run is left alone and reported. Exit status 0 when
            every reversible change of the run is reverted, 1 when some could not be, 2 on errors.
            """
    )

    @Argument(help: ArgumentHelp("The run to revert (see --list); default: the newest run not yet undone.", valueName: "RUN-ID"))
    var runID: String?

    @Flag(help: "List the runs in the journal instead.")
    var list = false

    @OptionGroup var host: HostOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try host.validate()
        try output.validate()
        if let runID, !RunID.isValid(runID) {
            throw ValidationError("'\(runID)' is not a run id (letters, digits and '-'; see `ampfix undo --list`)")
        }
    }

    func run() throws {
        try Composition.runtime {
            let fs = try RootedFileSystem(root: host.root)
            let journal = JournalDirectory(fs: fs)
            let changes = HostChanges(fs: fs)
            if list {
                for id in try journal.runs() {
                    let run = try journal.journal(of: id)
                    let state = run.undoEnded ? "undone" : run.interrupted ? "interrupted" : "complete"
                    let changed = run.progress.filter { $0 == .done }.count
                    print("\(id)  \(run.started)  \(state)  \(changed) of \(run.actions.count) actions applied")
                }
                return
            }
            let lock = try RunLock.acquire(fs, timeout: host.lockTimeout, create: true, waiting: output.note)
            defer { withExtendedLifetime(lock) {} }
            for note in try Recovery(store: journal, applier: changes).recover() {
                output.note("recovery: \(note)")
            }
            let undo = Undo(store: journal, applier: changes)
            if runID == nil, try undo.latestUndoableRun() == nil {
                output.note("nothing to undo: no run in \(fs.hostPath(JournalDirectory.path)) has changes that are not undone")
                return
            }
            let result = try undo.undo(run: runID)
            if !output.quiet { print(TextRenderer().render(result), terminator: "") }
            // Changes that cannot be undone (a service restart) are reported, not counted against.
            let complete = result.items.allSatisfy { [.reverted, .alreadyReverted, .notReversible].contains($0.outcome) }
            if !complete { throw ExitCode(ExitStatus.faultsRemain) }
        }
    }
}
