import AmpfixCore
import ArgumentParser

extension Ampfix {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the faults ampfix knows, and whether it repairs or only explains each."
        )

        @OptionGroup var output: OutputOptions

        func run() throws {
            let entries = FaultRegistry.standard.entries(language: output.language)
            print(output.json ? JSONText.pretty(entries) : TextRenderer().renderList(entries), terminator: output.json ? "\n" : "")
        }
    }
}
