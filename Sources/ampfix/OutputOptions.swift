import AmpfixCore
import AmpfixHost
import AmpfixSystem
import ArgumentParser

/// How ampfix reports.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the versioned JSON report (schema ampfix.report/1) instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Language of fault texts: en or zh (default from LC_ALL, LC_MESSAGES, LANG).", valueName: "en|zh"))
    var lang: Language?

    @Flag(name: .shortAndLong, help: "Show the evidence of healthy faults too, and gather the costlier evidence (each ClamAV database read whole, SELinux's access decision).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors; the exit status tells the result.")
    var quiet = false

    func validate() throws {
        if verbose && quiet { throw ValidationError("use either --verbose or --quiet, not both") }
    }

    var language: Language {
        lang ?? Language.fromEnvironment(ProcessEnvironment.current)
    }

    /// The text renderer in the asked language (the report's own words from po/ catalogs).
    var renderer: TextRenderer {
        TextRenderer(verbose: verbose, translation: GettextTranslation.forLanguage(language, environment: ProcessEnvironment.current))
    }

    func emit(_ report: Report) throws {
        if json {
            print(JSONText.pretty(report))
        } else if !quiet {
            print(renderer.render(report), terminator: "")
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// A note for the operator on stderr, unless quiet.
    func note(_ text: String) {
        if !quiet { StandardError.print("ampfix: \(text)") }
    }
}
