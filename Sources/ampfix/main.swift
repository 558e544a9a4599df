import AmpfixCore
import ArgumentParser
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

/// The arguments after the program name.
func processArguments() -> [String] { Array(processCommandLine.dropFirst()) }

// What `Ampfix.main()` does, except that a plain exit status (the report is already printed)
// leaves at once: ArgumentParser would first build its help generator to word a message that
// an ExitCode never has.
do {
    var command = try Ampfix.parseAsRoot(processArguments())
    try command.run()
} catch let status as ExitCode {
    exit(status.rawValue)
} catch where processArguments().first == "check" && Ampfix.exitCode(for: error) != .success {
    // A monitoring plugin answers even a usage error with its one line and UNKNOWN.
    let unknown = PluginCheck.unknown(Ampfix.message(for: error))
    print(unknown.text, terminator: "")
    exit(unknown.state.rawValue)
} catch {
    Ampfix.exit(withError: error)
}
