import AmpfixCore
import AmpfixHost
import AmpfixCommandLine
import AmpfixSystem

extension Ampfix {
    struct List: AmpfixCommand {
        static let journalCatalogOption = OptionSpec("--journal-catalog", help: "", hidden: true)
        static let spec = CommandSpec(
            name: "list",
            abstract: "List the faults ampfix knows, and whether it repairs or only explains each.",
            options: OutputOptions.options + [
                // For packaging: the journal message catalog (packaging/ampfix.catalog is this output).
                journalCatalogOption,
            ]
        )

        var output: OutputOptions
        var journalCatalog: Bool

        init(_ parsed: ParsedArguments) {
            output = OutputOptions(parsed)
            journalCatalog = parsed.flag(Self.journalCatalogOption)
        }

        func validate() throws { try output.validate() }

        func run() throws {
            if journalCatalog {
                // Its Chinese entries need po/zh_CN.po compiled (AMPFIX_LOCALEDIR in a build tree).
                var missing: Message?
                let chinese = RunOutputs.translation(ReportLanguage(name: "zh")!, environment: Speech.environment) { missing = $0 }
                if let missing { throw ValidationError(.msg("--journal-catalog: \(missing)")) }
                return print(JournalCatalog.render(chinese: chinese), terminator: "")
            }
            let entries = FaultRegistry.standard.entries(translation: output.translation)
            print(output.json ? JSONText.pretty(entries) : output.renderer.renderList(entries), terminator: output.json ? "\n" : "")
        }
    }
}
