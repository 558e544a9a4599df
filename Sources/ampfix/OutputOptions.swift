import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

/// How ampfix reports.
struct OutputOptions {
    static let jsonOption = OptionSpec("--json", help: "Print the versioned JSON report (schema ampfix.report/3) instead of text.")
    static let verboseOption = OptionSpec("-v", "--verbose", help: "Show the evidence of healthy faults too, and gather the costlier evidence (each ClamAV database read whole, SELinux's access decision).")
    static let quietOption = OptionSpec("-q", "--quiet", help: "Print nothing but errors; the exit status tells the result.")
    static let options = [
        jsonOption,
        langOption,
        verboseOption,
        quietOption,
    ]

    /// The language of everything said (the check, which has no other output option, takes it too).
    static let langOption = OptionSpec("--lang", value: "LANG", help: "Language of everything ampfix says (report, help, errors): en, zh, or any language with an ampfix catalog (po/LANG.po), such as de or pt_BR (default from LC_ALL, LC_MESSAGES, LANG).")

    var json: Bool
    var verbose: Bool
    var quiet: Bool

    init(_ parsed: ParsedArguments) {
        json = parsed.flag(Self.jsonOption)
        verbose = parsed.flag(Self.verboseOption)
        quiet = parsed.flag(Self.quietOption)
    }

    func validate() throws {
        if verbose && quiet { throw ValidationError(.msg("use either --verbose or --quiet, not both")) }
    }

    /// A --lang that names no language is a usage error (for every command that takes it).
    static func validate(lang: String?) throws {
        if let lang, ReportLanguage(name: lang) == nil {
            throw ValidationError(.msg("--lang \(lang): not a language name (en, zh, or a gettext language such as de or pt_BR)"))
        }
    }

    /// --lang, else the locale variables.
    var reportLanguage: ReportLanguage { Speech.language }

    /// The language the report is rendered in: English when the asked language has no catalog.
    var language: Language { translation is UntranslatedText ? .en : reportLanguage.language }

    /// The asked language's catalog of ampfix's messages (po/).
    var translation: any Translating { Speech.translation }

    var renderer: TextRenderer { TextRenderer(verbose: verbose, translation: translation) }

    /// The report in the language asked for: its evidence and steps (text and JSON alike), and
    /// the text's own words.
    /// - Parameter translation: the run's `translation`, when it was asked for already (it says
    ///   once that a catalog is missing).
    func emit(_ report: Report, translation: (any Translating)? = nil) throws {
        show(report, translation: translation)
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// The report printed as `emit` prints it, whatever its exit status.
    func show(_ report: Report, translation: (any Translating)? = nil) {
        var report = report
        let renderer = TextRenderer(verbose: verbose, translation: translation ?? self.translation)
        report.render(renderer.t, language: language)
        if json {
            print(JSONText.pretty(report))
        } else if !quiet {
            print(renderer.render(report), terminator: "")
        }
    }

    /// `ampfix preflight`'s predictions, as `emit` prints a report.
    func emit(_ report: PreflightReport) throws {
        var report = report
        report.render(renderer.t, language: language)
        if json {
            print(JSONText.pretty(report))
        } else if !quiet {
            print(renderer.render(report), terminator: "")
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// A note for the operator on stderr, unless quiet.
    func note(_ message: Message) {
        if !quiet { StandardError.print("ampfix: " + Speech.say(message)) }
    }
}
