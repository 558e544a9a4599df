import AmpfixCore
import ArgumentParser

extension Ampfix {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the faults ampfix knows, and whether it repairs or only explains each."
        )

        @OptionGroup var output: OutputOptions

        /// For packaging: the journal message catalog (packaging/ampfix.catalog is this output).
        @Flag(help: .hidden)
        var journalCatalog = false

        func run() throws {
            if journalCatalog { return print(JournalCatalog.render(), terminator: "") }
            let entries = FaultRegistry.standard.entries(language: output.language)
            print(output.json ? JSONText.pretty(entries) : output.renderer.renderList(entries), terminator: output.json ? "\n" : "")
        }
    }
}
