import AmpfixCore
import AmpfixHost
import AmpfixCommandLine

extension Ampfix {
    struct Package: AmpfixCommand {
        static let repeatOption = OptionSpec("--repeat", value: "N", help: "Benchmark: open the database and look the name up N times in this process, and print the median time of one.")
        static let nameArgument = ArgumentSpec("NAME", help: "The package name.")
        static let spec = CommandSpec(
            name: "package",
            abstract: "Show what the root's package database says of a package: installed and candidate versions.",
            discussion: "Asks libapt-pkg (where dpkg keeps its state) or librpm, the way faults 11 and 16 do. Exit status 0 when the package is known, 1 when it is not, 2 on errors.",
            options: HostOptions.options + [OutputOptions.langOption] + [
                repeatOption,
            ],
            arguments: [nameArgument]
        )

        var name: String
        var host: HostOptions
        var repeatCount: Int?

        init(_ parsed: ParsedArguments) throws(UsageError) {
            name = parsed.argument(Self.nameArgument) ?? ""
            host = try HostOptions(parsed)
            repeatCount = try parsed.value(Self.repeatOption, { Int($0) })
        }

        func validate() throws {
            try host.validate()
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
                throw ValidationError(.msg("'\(name.escapingControlCharacters())' is not a package name"))
            }
            if let repeatCount, repeatCount < 1 { throw ValidationError(.msg("--repeat \(repeatCount): must be at least 1")) }
        }

        func run() throws {
            if let repeatCount {
                let median = try Composition.runtime { try PackageLookup.medianMilliseconds(name, root: host.root, repeat: repeatCount) }
                print((median * 1000).rounded() / 1000)
                return
            }
            let (backend, found) = try Composition.runtime { try PackageLookup.lookup(name, root: host.root) }
            guard let found else {
                print(Speech.say(.msg("\(name): not known to \(backend)")))
                throw ExitCode(ExitStatus.faultsRemain)
            }
            let none: Message = .msg("(none)")
            print("\(name) (\(backend))")
            print("  " + Speech.say(.msg("installed: \(found.installed.isEmpty ? none : .verbatim(found.installed.joined(separator: ", ")))")))
            let candidate: Message = found.candidate.map(Message.verbatim)
                ?? (backend.knowsCandidates ? none : .msg("(not known: librpm reads only the installed database)"))
            print("  " + Speech.say(.msg("candidate: \(candidate)")))
        }
    }
}
