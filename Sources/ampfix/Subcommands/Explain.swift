import AmpfixCore
import ArgumentParser

extension Ampfix {
    struct Explain: ParsableCommand {
        // Named explicitly: without it ArgumentParser derives the name from the type through
        // String(describing:), a cost every run would pay (a tenth of `ampfix list`).
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Explain a fault: when the connector raises it, what to do, what ampfix repairs."
        )

        @Argument(help: ArgumentHelp("The fault number: \(FaultID.validList).", valueName: "N"))
        var fault: FaultID

        @OptionGroup var output: OutputOptions

        func run() throws {
            let entry = FaultRegistry.standard.entry(fault, language: output.language)
            print(output.json ? JSONText.pretty(entry) : output.renderer.render(entry), terminator: output.json ? "\n" : "")
        }
    }
}
