import AmpfixCore
import AmpfixSystem
import AmpfixCommandLine

extension Ampfix {
    struct Undo: AmpfixCommand {
        static let listOption = OptionSpec("--list", help: "List the runs in the journal instead.")
        /// --json as OutputOptions reads it, with what an undo prints.
        static let jsonOption = OptionSpec("--json", help: "Print the result as JSON (schema ampfix.undo/1; with --list, {\"runs\": [...]}) instead of text.")
        static let dryRunOption = OptionSpec("--dry-run", help: "Print what the undo would revert, each revert's state checked, and change nothing.")
        static let runIdArgument = ArgumentSpec("RUN-ID", count: .optional, help: "The run to revert (see --list); default: the newest run not yet undone.")
        static let spec = CommandSpec(
            name: "undo",
            abstract: "Revert the changes of the last run (or of RUN-ID) that can be reverted.",
            discussion: """
                Changes are reverted newest first, each journaled before it is made. A change whose
                object was modified again since the run is left alone and reported. Exit status 0 when
                every reversible change of the run is reverted, 1 when some could not be, 2 on errors.
                """,
            options: [listOption, dryRunOption]
                + HostOptions.options + OutputOptions.options.map { $0.key == OutputOptions.jsonOption.key ? jsonOption : $0 }
                + JournalOptions.options,
            arguments: [runIdArgument]
        )

        var runID: String?
        var list: Bool
        var dryRun: Bool
        var host: HostOptions
        var output: OutputOptions
        var journal: JournalOptions

        init(_ parsed: ParsedArguments) throws(UsageError) {
            runID = parsed.argument(Self.runIdArgument)
            list = parsed.flag(Self.listOption)
            dryRun = parsed.flag(Self.dryRunOption)
            host = try HostOptions(parsed)
            output = OutputOptions(parsed)
            journal = JournalOptions(parsed)
        }

        func validate() throws {
            try host.validate()
            try output.validate()
            if list && dryRun { throw ValidationError(.msg("use either --list or --dry-run, not both")) }
            if let runID, !RunID.isValid(runID) {
                throw ValidationError(.msg("'\(runID)' is not a run id (letters, digits and '-'; see `ampfix undo --list`)"))
            }
        }

        func run() throws {
            let (report, journalDirectory) = try Composition.runtime { () -> (Run.UndoReport?, String) in
                let adapters = try Composition.adapters(host, note: output.note)
                let run = adapters.journalRun(note: output.note)
                let directory = adapters.fs.hostPath(JournalDirectory.path)
                if list {
                    let lines = try run.journalListing().map(Speech.say)
                    if output.json { print(JSONText.pretty(["runs": lines])) } else { lines.forEach { print($0) } }
                    return (nil, directory)
                }
                return (dryRun ? try run.undoPlan(runID) : try run.undo(runID), directory)
            }
            guard let report else { return }
            if output.json {
                print(JSONText.pretty(UndoJSON(report, dryRun: dryRun, translation: output.translation)))
            } else {
                for note in report.recovered { output.note(dryRun ? note : .msg("recovery: \(note)")) }
            }
            if let result = report.result {
                if !dryRun { journal.send(result, root: host.root) }
                if !output.quiet && !output.json { print(output.renderer.render(result), terminator: "") }
            } else if !output.json {
                output.note(.msg("nothing to undo: no run in \(journalDirectory) has changes that are not undone"))
            }
            if !report.complete { throw ExitCode(ExitStatus.faultsRemain) }
        }
    }
}
