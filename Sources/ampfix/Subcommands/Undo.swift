import AmpfixCore
import AmpfixSystem
import ArgumentParser

extension Ampfix {
    struct Undo: ParsableCommand {
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
        @OptionGroup var journal: JournalOptions

        func validate() throws {
            try host.validate()
            try output.validate()
            if let runID, !RunID.isValid(runID) {
                throw ValidationError("'\(runID)' is not a run id (letters, digits and '-'; see `ampfix undo --list`)")
            }
        }

        func run() throws {
            let (report, journalDirectory) = try Composition.runtime { () -> (Run.UndoReport?, String) in
                let adapters = try Composition.adapters(host, note: output.note)
                let run = adapters.journalRun(note: output.note)
                let directory = adapters.fs.hostPath(JournalDirectory.path)
                if list {
                    let lines = try run.journalListing()
                    if output.json { print(JSONText.pretty(["runs": lines])) } else { lines.forEach { print($0) } }
                    return (nil, directory)
                }
                return (try run.undo(runID), directory)
            }
            guard let report else { return }
            for note in report.recovered { output.note("recovery: \(note)") }
            guard let result = report.result else {
                output.note("nothing to undo: no run in \(journalDirectory) has changes that are not undone")
                return
            }
            journal.send(result, root: host.root)
            if !output.quiet { print(output.renderer.render(result), terminator: "") }
            if !report.complete { throw ExitCode(ExitStatus.faultsRemain) }
        }
    }
}
