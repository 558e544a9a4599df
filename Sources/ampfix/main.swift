import CProcessArguments

/// The arguments after the program name, from the C runtime (see process_arguments.c): the same
/// with or without /proc. `CommandLine.arguments` is the fallback where the C runtime gave none.
func processArguments() -> [String] {
    guard let argv = ampfix_process_argv() else { return Array(CommandLine.arguments.dropFirst()) }
    let count = Int(ampfix_process_argc())
    return (1..<max(count, 1)).compactMap { argv[$0].map { String(cString: $0) } }
}

Ampfix.main(processArguments())
