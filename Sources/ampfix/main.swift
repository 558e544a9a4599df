import ArgumentParser
import CProcessArguments
import Glibc

/// The arguments after the program name, from the C runtime (see process_arguments.c): the same
/// with or without /proc. `CommandLine.arguments` is the fallback where the C runtime gave none.
func processArguments() -> [String] {
    guard let argv = ampfix_process_argv() else { return Array(CommandLine.arguments.dropFirst()) }
    let count = Int(ampfix_process_argc())
    return (1..<max(count, 1)).compactMap { argv[$0].map { String(cString: $0) } }
}

// What `Ampfix.main()` does, except that a plain exit status (the report is already printed)
// leaves at once: ArgumentParser would first build its help generator to word a message that
// an ExitCode never has.
do {
    var command = try Ampfix.parseAsRoot(processArguments())
    try command.run()
} catch let status as ExitCode {
    exit(status.rawValue)
} catch {
    Ampfix.exit(withError: error)
}
