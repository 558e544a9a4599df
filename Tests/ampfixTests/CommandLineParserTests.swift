import AmpfixCommandLine
import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// The command-line parser against a small spec of its own (the binary's own command line is
/// tested through the binary in CommandLineTests).
@Suite struct CommandLineParserTests {
    static let root = OptionSpec("--root", value: "DIR", help: "A root.")
    static let count = OptionSpec("--count", value: "N", help: "A number; any value.", takesAnyValue: true)
    static let item = OptionSpec("--item", value: "N", help: "Repeatable.", repeats: true)
    static let output = OptionSpec("-o", "--output", value: "FILE", help: "Output.")
    static let verbose = OptionSpec("-v", "--verbose", help: "Verbose.")
    static let quiet = OptionSpec("-q", "--quiet", help: "Quiet.")
    static let secret = OptionSpec("--secret", help: "Hidden.", hidden: true)
    static let name = ArgumentSpec("NAME", help: "A name.")
    static let more = ArgumentSpec("MORE", count: .many, help: "More.")
    static let command = ArgumentSpec("COMMAND", count: .afterTerminator, help: "The command.")

    static let tool = CommandSpec(
        name: "tool",
        abstract: "A tool.",
        options: [root, count, item, output, verbose, quiet, secret],
        subcommands: [
            CommandSpec(name: "show", abstract: "Show.", options: [verbose, root, output], arguments: [name, more]),
            CommandSpec(name: "run", abstract: "Run.", options: [root], arguments: [command]),
            CommandSpec(name: "undo", abstract: "Undo.", arguments: [ArgumentSpec("ID", count: .optional, help: "A run.")],
                        unknownOptionNote: "undo takes no options"),
        ],
        version: "1.2.3"
    )

    func parsed(_ arguments: [String]) throws -> ParsedArguments {
        guard case .run(let parsed) = try CommandLineParser.parse(arguments, root: Self.tool) else {
            throw UsageError("not a run", path: [])
        }
        return parsed
    }

    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try CommandLineParser.parse(arguments, root: Self.tool)
            return nil
        } catch {
            return error.message()
        }
    }

    @Test func optionsInEveryForm() throws {
        let p = try parsed(["--root", "/r", "--count=-5", "-vq", "-oout.tgz", "--item", "1", "--item=2"])
        #expect(p.subcommand == nil)
        #expect(p.string(Self.root) == "/r")
        #expect(p.string(Self.count) == "-5")
        #expect(p.flag(Self.verbose) && p.flag(Self.quiet) && !p.flag(Self.secret))
        #expect(p.string(Self.output) == "out.tgz")
        #expect(p.strings(Self.item) == ["1", "2"])
        #expect(try parsed(["-o", "x"]).string(Self.output) == "x")
        #expect(try parsed(["--count", "-5"]).string(Self.count) == "-5", "an option that takes any value takes -5")
        #expect(try parsed(["--root", "/a", "--root", "/b"]).string(Self.root) == "/b", "the last value wins")
    }

    @Test func usageErrorsSayWhat() {
        #expect(refusal(["--bogus"]) == "Unknown option '--bogus'")
        #expect(refusal(["-x"]) == "Unknown option '-x'")
        #expect(refusal(["--root"]) == "Missing value for '--root <DIR>'")
        #expect(refusal(["--root", "-v"]) == "Missing value for '--root <DIR>'", "a value that looks like an option is not taken")
        #expect(refusal(["--verbose=yes"]) == "'--verbose' takes no value")
        #expect(refusal(["stray"]) == "Unexpected argument 'stray'")
        #expect(refusal(["show"]) == "Missing expected argument '<NAME>'")
        #expect(refusal(["run", "ls"]) == "Unexpected argument 'ls'", "the command goes after --")
        #expect(refusal(["undo", "a", "b"]) == "Unexpected argument 'b'")
        #expect(refusal(["undo", "--root", "/"]) == "--root: undo takes no options")
        #expect(refusal(["help", "nothing"]) == "Unknown subcommand 'nothing'")
    }

    @Test func theSubcommandIsTheFirstWordAndTakesTheOptionsBeforeIt() throws {
        let p = try parsed(["-v", "show", "name", "a", "b"])
        #expect(p.subcommand == "show")
        #expect(p.flag(Self.verbose))
        #expect(p.argument(Self.name) == "name" && p.arguments(Self.more) == ["a", "b"])
        // An option's value is not a subcommand.
        let q = try parsed(["--root", "undo", "show", "x"])
        #expect(q.subcommand == "show" && q.string(Self.root) == "undo" && q.argument(Self.name) == "x")
        let r = try parsed(["-o", "undo", "show", "x"])
        #expect(r.subcommand == "show" && r.string(Self.output) == "undo", "a short option's value is not a subcommand either")
        // The root's options are not a subcommand's unless it declares them.
        #expect(refusal(["-q", "show", "x"]) == "Unknown option '-q'")
    }

    @Test func theTerminatorEndsOptions() throws {
        let run = try parsed(["run", "--root", "/r", "--", "rpm", "-i", "--force", "x.rpm"])
        #expect(run.string(Self.root) == "/r")
        #expect(run.arguments(Self.command) == ["rpm", "-i", "--force", "x.rpm"])
        let show = try parsed(["show", "--", "-name-", "--help"])
        #expect(show.argument(Self.name) == "-name-" && show.arguments(Self.more) == ["--help"])
    }

    @Test func helpAndVersionAreRequestsNotErrors() throws {
        guard case .help(let path) = try CommandLineParser.parse(["show", "--help"], root: Self.tool) else { Issue.record("no help"); return }
        #expect(path.map(\.name) == ["tool", "show"])
        guard case .help(let helpPath) = try CommandLineParser.parse(["help", "run"], root: Self.tool) else { Issue.record("no help"); return }
        #expect(helpPath.map(\.name) == ["tool", "run"])
        guard case .version(let version) = try CommandLineParser.parse(["--version"], root: Self.tool) else { Issue.record("no version"); return }
        #expect(version == "1.2.3")
        #expect(refusal(["show", "--version"]) == "Unknown option '--version'", "only the root has a version")
        let help = HelpText.help([Self.tool])
        #expect(help.contains("USAGE: tool [<options>]\n       tool <subcommand> [<options>]"))
        #expect(help.contains("  -o, --output <FILE>     Output.\n"))
        #expect(!help.contains("--secret"), "hidden options stay out of help")
        #expect(help.contains("  show                    Show.\n"))
        let runHelp = HelpText.help([Self.tool, Self.tool.subcommands[1]])
        #expect(runHelp.contains("USAGE: tool run [<options>] -- <COMMAND> ..."))
    }

    @Test func convertedValuesNameTheOptionAndTheValidOnes() throws {
        let p = try parsed(["--item", "1", "--item", "x"])
        do {
            _ = try p.values(Self.item, valid: ["1", "2"]) { Int($0) }
            Issue.record("x was converted")
        } catch {
            #expect(error.message() == "The value 'x' is invalid for '--item <N>'. Please provide one of the following:\n  - 1\n  - 2")
        }
        #expect(try parsed(["--item", "7"]).values(Self.item) { Int($0) } == [7])
    }

    @Test func longHelpWrapsAtEightyColumns() {
        let spec = CommandSpec(name: "t", abstract: "A.", options: [
            OptionSpec("--a-very-long-option-name", value: "VALUE", help: String(repeating: "word ", count: 40)),
        ])
        let help = HelpText.help([spec])
        for line in help.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
        #expect(help.contains("  --a-very-long-option-name <VALUE>\n                          word word"))
    }
}

/// The completion scripts the packages install, read by each shell.
@Suite struct ShellCompletionTests {
    /// What bash's completion offers for a command line ending in `current`.
    func bashOffers(_ words: [String]) throws -> [String] {
        let script = TempRoot("completion")
        let generated = try AmpfixBinary.run(["--generate-completion-script", "bash"])
        try #require(generated.status == 0, "\(generated.stderr)")
        try generated.stdout.write(toFile: script.at("ampfix.bash"), atomically: true, encoding: .utf8)
        let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
        let probe = """
            source \(script.at("ampfix.bash"))
            COMP_WORDS=(ampfix \(quoted)); COMP_CWORD=\(words.count)
            _ampfix; printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try Command.run(try #require(Programs.locate("bash")), ["-c", probe])
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func bashOffersSubcommandsOptionsAndFaults() throws {
        #expect(try bashOffers(["ex"]) == ["explain"])
        #expect(try bashOffers(["--fault", ""]) == FaultID.allCases.map(\.description))
        #expect(try bashOffers(["--dry"]) == ["--dry-run"])
        #expect(try bashOffers(["undo", "--l"]) == ["--list", "--lock-timeout", "--lang"])
        #expect(try bashOffers(["explain", "1"]) == FaultID.allCases.map(\.description).filter { $0.hasPrefix("1") })
        #expect(try bashOffers(["explain", "1"]).contains("19"))
        #expect(try !bashOffers(["sample", "--"]).contains("--root"), "sample takes no --root")
    }

    @Test(arguments: ["zsh", "fish"])
    func zshAndFishReadTheirScripts(shell: String) throws {
        guard let path = Programs.locate(shell) else {
            print("SKIP: \(shell) is not installed (scripts/deps.sh installs it); its completion script was not read")
            return
        }
        let script = TempRoot("completion")
        let generated = try AmpfixBinary.run(["--generate-completion-script", shell])
        try #require(generated.status == 0)
        try generated.stdout.write(toFile: script.at("ampfix.\(shell)"), atomically: true, encoding: .utf8)
        let check = try Command.run(path, ["-n", script.at("ampfix.\(shell)")])
        #expect(check.status == 0, "\(check.stderr)")
        if shell == "fish" {
            // fish itself lists what it would offer.
            let offers = try Command.run(path, ["-c", "source \(script.at("ampfix.fish")); complete -C 'ampfix undo --l'"])
            #expect(offers.stdout.contains("--list\t"), "\(offers.stdout)\(offers.stderr)")
            // After an option that takes a fault or a language, no file names (the script is a
            // file in the directory fish runs in); after --root, directories and files are offered.
            for (line, offered) in [("ampfix --fault ", "19\t"), ("ampfix --lang ", ""), ("ampfix check -t ", "")] {
                let values = try Command.run("/bin/sh", ["-c", "cd '\(script.path)' && exec '\(path)' -c \"source ampfix.fish; complete -C '\(line)'\""])
                #expect(!values.stdout.contains("ampfix.fish") && (offered.isEmpty || values.stdout.contains(offered)), "\(line): \(values.stdout)")
            }
        }
        #expect(generated.stdout.contains(shell == "fish" ? "-l fault" : "--fault"))
    }

    @Test func anUnknownShellIsAUsageError() throws {
        let result = try AmpfixBinary.run(["--generate-completion-script", "tcsh"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("one of bash, zsh, fish"))
    }
}

/// What every start pays: the libraries the dynamic loader maps before main. libkmod (with the
/// libcrypto it brings), libsemanage and libsepol (with libaudit and libcap-ng) and libarchive
/// are opened by the commands that use them.
@Suite struct StartCostTests {
    func loaded(_ arguments: [String]) throws -> String {
        // glibc's loader names each object it maps on stderr.
        let result = try AmpfixBinary.run(arguments, environment: ["LD_DEBUG": "files"])
        return result.stderr
    }

    @Test func listLoadsNoLibraryItDoesNotUse() throws {
        let list = try loaded(["list"])
        #expect(list.contains("file=libc.so.6"), "LD_DEBUG names the objects: \(list.prefix(300))")
        // (libcrypto comes with libkmod in the packages; development builds link libclamav, which
        // needs it too, so it is not asserted here.)
        for library in ["libkmod.so", "libarchive.so", "libsemanage.so", "libsepol.so"] {
            #expect(!list.contains("file=\(library)"), "ampfix list loaded \(library)")
        }
    }

    @Test func aKernelModuleQuestionOpensLibkmod() throws {
        let sample = try SampleHost.build()
        let eight = try loaded(["--root", sample.path, "--fault", "8", "--dry-run"])
        #expect(eight.contains("file=libkmod.so.2"), "fault 8 asked libkmod: \(eight.suffix(500))")
        #expect(!eight.contains("file=libsemanage.so"), "fault 8 needs no module store")
    }

    @Test func aModuleStoreQuestionOpensLibsemanageAndLibsepol() throws {
        // The sample's SELinux is enforcing in its configuration: fault 19 reads its module store.
        let sample = try SampleHost.build()
        let nineteen = try loaded(["--root", sample.path, "--fault", "19", "--dry-run"])
        for library in ["libsemanage.so.2", "libsepol.so.2"] {
            #expect(nineteen.contains("file=\(library)"), "fault 19 opened \(library): \(nineteen.suffix(500))")
        }
        let result = try AmpfixBinary.run(["--root", sample.path, "--fault", "19", "--dry-run"])
        #expect(result.stdout.contains("cisco-secure-bpf is not installed in store"), "the store was read: \(result.stdout)")
    }
}
