import AmpfixCommandLine
import AmpfixCore
import AmpfixSystem
import CProcessArguments
import Glibc

/// The whole command line, program name first, from the C runtime (see process_arguments.c):
/// the same with or without /proc (Swift's `CommandLine.arguments` is empty without it, and is
/// the fallback only where the C runtime gave nothing). Journals record it.
let processCommandLine: [String] = {
    guard let argv = ampfix_process_argv() else { return CommandLine.arguments }
    let count = Int(ampfix_process_argc())
    return (0..<max(count, 0)).compactMap { argv[$0].map { String(cString: $0) } }
}()

/// The first argument that is not valid UTF-8, escaped (`\xff`), with its position. Swift
/// reads such an argument with its bytes replaced (U+FFFD): a path given so would name another
/// file (`-o`, `--prometheus` would write one under another name), so it is refused instead.
let invalidArgument: (position: Int, escaped: String)? = {
    guard let argv = ampfix_process_argv() else { return nil }
    for index in 1..<max(Int(ampfix_process_argc()), 1) {
        guard let pointer = argv[index] else { continue }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
        if String(validating: bytes, as: UTF8.self) == nil { return (index, PathBytes.escaped(bytes)) }
    }
    return nil
}()

/// The arguments after the program name.
func processArguments() -> [String] { Array(processCommandLine.dropFirst()) }

/// The command that runs for a parsed command line.
func command(for parsed: ParsedArguments) throws(UsageError) -> any AmpfixCommand {
    guard let name = parsed.subcommand else { return try Ampfix(parsed) }
    guard let type = Ampfix.subcommands.first(where: { $0.spec.name == name }) else {
        throw UsageError("Unknown subcommand '%1$s'", name, path: parsed.path)
    }
    return try type.init(parsed)
}

/// A usage error: its message and the command's usage on stderr, exit status 64 — or, for
/// `check` (a monitoring plugin answers even a usage error with its one line), UNKNOWN.
func refuse(_ error: UsageError) -> Never {
    if error.path.count > 1, error.path[1].name == Ampfix.Check.spec.name {
        let unknown = PluginCheck.unknown(error.message(Speech.wording))
        print(unknown.text, terminator: "")
        exit(unknown.state.rawValue)
    }
    StandardError.write(raw: HelpText.error(error, Speech.wording))
    exit(ExitStatus.usage)
}

/// For packaging: the shell completion scripts (`--generate-completion-script bash|zsh|fish`).
if processArguments().first == "--generate-completion-script" {
    let shell = processArguments().dropFirst().first ?? ""
    guard let script = ShellCompletions.script(for: shell, root: Ampfix.spec) else {
        refuse(UsageError("--generate-completion-script '%1$s': one of %2$s", shell, ShellCompletions.shells.joined(separator: ", "), path: [Ampfix.spec]))
    }
    print(script, terminator: "")
    exit(0)
}

if let invalid = invalidArgument {
    refuse(UsageError("argument %1$s (%2$s) is not valid UTF-8: ampfix takes paths and values as UTF-8 text, and read otherwise it would name another file; use a name (or a link to it) that is UTF-8",
                      String(invalid.position), invalid.escaped, path: [Ampfix.spec] + Ampfix.spec.subcommands.filter { $0.name == processArguments().first }))
}

do {
    switch try CommandLineParser.parse(processArguments(), root: Ampfix.spec) {
    case .help(let path):
        print(HelpText.help(path, Speech.wording), terminator: "")
    case .version(let version):
        print(version)
    case .run(let parsed):
        let chosen = try command(for: parsed)
        do {
            // Every command that takes --lang refuses one that names no language (the check
            // too, which has no other output option); the run is not said in a fallback.
            try OutputOptions.validate(lang: Speech.asked)
            try chosen.validate()
        } catch let invalid as ValidationError {
            refuse(UsageError(said: Speech.say(invalid.message), path: parsed.path))
        }
        try chosen.run()
    }
} catch let usage as UsageError {
    refuse(usage)
} catch let status as ExitCode {
    exit(status.rawValue)
} catch {
    Speech.error(.of(error))
    exit(ExitStatus.couldNotEvaluate)
}
