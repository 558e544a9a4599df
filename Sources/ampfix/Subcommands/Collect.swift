import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine
import Glibc

extension Ampfix {
    struct Collect: AmpfixCommand {
        static let outputOption = OptionSpec("-o", "--output", value: "FILE", help: "The bundle to write (default ./ampfix-support-RUN-ID.tar.gz); never an existing file.")
        static let spec = CommandSpec(
            name: "collect",
            abstract: "Write a support bundle (.tar.gz): the report, the connector's status, log tails, host facts.",
            discussion: """
                Diagnoses every fault (changing nothing) and writes one .tar.gz with: the JSON report,
                the connector's status output, the last 1 MiB of each of the connector's logs in
                /var/log/cisco (amp*.log and its rotations), os-release (ID, ID_LIKE, VERSION_ID,
                NAME, PRETTY_NAME only), login.defs' and the SELinux config's settings (no comments),
                the kernel release and module trees, the SELinux mode, the loaded modules and memory
                (the last three on a live host), and MANIFEST.txt, which lists what was taken and
                what was left out with why. Nothing else is ever taken: each file only where it is
                named (no symbolic link on the way, so a linked log directory is not followed), as
                a regular file with one link, at most 256 KiB (logs: their last 1 MiB). Under --root
                the files come from the tree. The file is created with mode 0600 and never replaces
                another.
                Where the connector's own ampsupport is installed, ampfix says so; run it yourself.
                Exit status 0 when the bundle is written, 2 when it could not be, 64 on bad input.
                """,
            options: [outputOption]
                + HostOptions.options + DiagnosisOptions.options + OutputOptions.options
        )

        // Every value given, to refuse a second -o.
        var outputs: [String]
        var output: String? { outputs.last }
        var host: HostOptions
        var diagnosis: DiagnosisOptions
        var report: OutputOptions

        init(_ parsed: ParsedArguments) throws(UsageError) {
            outputs = parsed.strings(Self.outputOption)
            host = try HostOptions(parsed)
            diagnosis = try DiagnosisOptions(parsed)
            report = OutputOptions(parsed)
        }

        func validate() throws {
            try host.validate()
            try diagnosis.validate()
            try report.validate()
            if outputs.count > 1 { throw ValidationError(.msg("--output is given \(outputs.count) times (\(outputs.joined(separator: ", "))); name one file")) }
            if let output {
                guard !output.isEmpty, !output.hasSuffix("/") else { throw ValidationError(.msg("--output \(output): name a file, not a directory")) }
                if let problem = PathCheck.newFile(output) { throw ValidationError(.msg("--output \(output): \(problem)")) }
            }
        }

        /// What `--json` prints.
        struct Summary: Encodable {
            var file: String
            var taken: [String]
            var leftOut: [String]
            var connectorSupportTool: String?
        }

        func run() throws {
            let id = RunID.make(at: SystemClock.now(), pid: getpid())
            let path = output ?? "ampfix-support-\(id).tar.gz"
            let collected = try Composition.runtime {
                try Composition.adapters(host, note: report.note).collect(diagnosis.request(.diagnose, output: report), to: path, id: id,
                                                                          translation: report.translation, note: report.note)
            }
            let (bundle, tool) = (collected.bundle, collected.connectorSupportTool)
            if report.json {
                print(JSONText.pretty(Summary(file: path, taken: bundle.entries.map(\.name),
                                                 leftOut: bundle.leftOut.map { Speech.say(.msg("\($0.source): \($0.why)")) }, connectorSupportTool: tool)))
                return
            }
            guard !report.quiet else { return }
            print(Speech.say(.plural(bundle.entries.count + 1, "wrote \(path) (\(bundle.entries.count + 1) file, mode 0600):",
                                     "wrote \(path) (\(bundle.entries.count + 1) files, mode 0600):")).escapingControlCharacters())
            for entry in bundle.entries { print("  \(entry.name.escapingControlCharacters())  \(Speech.say(entry.source).escapingControlCharacters())") }
            print(Speech.say(.msg("left out: \(bundle.leftOut.count) (see MANIFEST.txt inside); only the files collect --help names are ever taken")))
            if let tool { print(Speech.say(.msg("the connector's own support tool is installed: run `\(tool) -o DIR` for what Cisco asks for"))) }
        }
    }
}
