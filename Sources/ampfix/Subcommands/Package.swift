import AmpfixCore
import AmpfixHost
import ArgumentParser

extension Ampfix {
    struct Package: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "package",
            abstract: "Show what the root's package database says of a package: installed and candidate versions.",
            discussion: "Asks libapt-pkg (where dpkg keeps its state) or librpm, the way faults 11 and 16 do. Exit status 0 when the package is known, 1 when it is not, 2 on errors."
        )

        @Argument(help: ArgumentHelp("The package name.", valueName: "NAME"))
        var name: String

        @OptionGroup var host: HostOptions

        @Option(name: .customLong("repeat"), help: ArgumentHelp("Benchmark: open the database and look the name up N times in this process, and print the median time of one.", valueName: "N"))
        var repeatCount: Int?

        func validate() throws {
            try host.validate()
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
                throw ValidationError("'\(name.escapingControlCharacters())' is not a package name")
            }
            if let repeatCount, repeatCount < 1 { throw ValidationError("--repeat \(repeatCount): must be at least 1") }
        }

        func run() throws {
            if let repeatCount {
                let median = try Composition.runtime { try PackageLookup.medianMilliseconds(name, root: host.root, repeat: repeatCount) }
                print((median * 1000).rounded() / 1000)
                return
            }
            let (backend, found) = try Composition.runtime { try PackageLookup.lookup(name, root: host.root) }
            guard let found else {
                print("\(name): not known to \(backend)")
                throw ExitCode(ExitStatus.faultsRemain)
            }
            print("\(name) (\(backend))")
            print("  installed: \(found.installed.isEmpty ? "(none)" : found.installed.joined(separator: ", "))")
            print("  candidate: \(found.candidate ?? (backend.knowsCandidates ? "(none)" : "(not known: librpm reads only the installed database)"))")
        }
    }
}
