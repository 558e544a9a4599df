import AmpfixCore
import ArgumentParser
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where ampfix works.
struct HostOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Operate on the tree under DIR (an image, a chroot, a test root) instead of /. No services, no module loading and no policy reload happen there.", valueName: "DIR"))
    var root = "/"

    // Unconditional: "-5" is a value to refuse with a reason, not an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for another ampfix on the same root.", valueName: "SECONDS"))
    var lockTimeout: Double = 30

    func validate() throws {
        guard root.hasPrefix("/") else {
            throw ValidationError("--root \(root): must be an absolute path")
        }
        guard let directory = opendir(root) else {
            throw ValidationError("--root \(root): \(String(cString: strerror(errno)))")
        }
        closedir(directory)
        guard lockTimeout.isFinite else {
            throw ValidationError("--lock-timeout \(lockTimeout): must be a number of seconds")
        }
        guard lockTimeout >= 0 else {
            throw ValidationError("--lock-timeout \(lockTimeout): must not be negative")
        }
    }
}

/// How ampfix reports.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the versioned JSON report (schema ampfix.report/1) instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Language of fault texts: en or zh (default from LC_ALL, LC_MESSAGES, LANG).", valueName: "en|zh"))
    var lang: Language?

    @Flag(name: .shortAndLong, help: "Show the evidence of healthy faults too.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors; the exit status tells the result.")
    var quiet = false

    func validate() throws {
        if verbose && quiet { throw ValidationError("use either --verbose or --quiet, not both") }
    }

    var language: Language {
        lang ?? Language.fromEnvironment(ProcessEnvironment.current)
    }

    func emit(_ report: Report) throws {
        if json {
            print(Self.json(report))
        } else if !quiet {
            print(TextRenderer(verbose: verbose).render(report), terminator: "")
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A note for the operator on stderr, unless quiet.
    func note(_ text: String) {
        if !quiet { Stderr.print("ampfix: \(text)") }
    }
}

enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let pair = String(cString: entry)
            if let eq = pair.firstIndex(of: "=") {
                result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}

enum Stderr {
    static func print(_ text: String) {
        let bytes = Array((text.escapingControlCharacters(keeping: ["\t", "\n"]) + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Raw, for a progress line on a terminal (no newline, control characters kept).
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
