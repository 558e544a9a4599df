import AmpfixCore
import AmpfixCommandLine

extension Ampfix {
    struct Explain: AmpfixCommand {
        static let nArgument = ArgumentSpec("N", completion: .words(FaultID.allCases.map(\.description)), help: "The fault number: %1$s.", helpArguments: [FaultID.validList])
        static let spec = CommandSpec(
            name: "explain",
            abstract: "Explain a fault: when the connector raises it, what to do, what ampfix repairs.",
            options: OutputOptions.options,
            arguments: [nArgument]
        )

        var fault: FaultID
        var output: OutputOptions

        init(_ parsed: ParsedArguments) throws(UsageError) {
            let faults = try parsed.arguments(Self.nArgument, valid: FaultID.allCases.map(\.description), FaultID.init(argument:))
            fault = faults[0]
            output = OutputOptions(parsed)
        }

        func validate() throws { try output.validate() }

        func run() throws {
            let entry = FaultRegistry.standard.entry(fault, translation: output.translation)
            print(output.json ? JSONText.pretty(entry) : output.renderer.render(entry), terminator: output.json ? "\n" : "")
        }
    }
}
