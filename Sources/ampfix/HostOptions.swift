import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

/// Where ampfix works.
struct HostOptions {
    static let rootOption = OptionSpec("--root", value: "DIR", help: "Operate on the tree under DIR (an image, a chroot, a test root) instead of / (the default). No services, no module loading and no policy reload happen there.")
    static let lockTimeoutOption = OptionSpec("--lock-timeout", value: "SECONDS", help: "Seconds to wait for another ampfix on the same root (default 30).", takesAnyValue: true)
    static let options = [
        rootOption,
        // Any value: "-5" is a value to refuse with a reason, not an unknown option.
        lockTimeoutOption,
    ]

    var root: String
    var lockTimeout: Double

    init(_ parsed: ParsedArguments) throws(UsageError) {
        root = parsed.string(Self.rootOption) ?? "/"
        lockTimeout = try parsed.value(Self.lockTimeoutOption, Double.init) ?? 30
    }

    func validate() throws {
        guard root.hasPrefix("/") else {
            throw ValidationError(.msg("--root \(root): must be an absolute path"))
        }
        if let problem = PathCheck.directory(root) {
            throw ValidationError(.msg("--root \(root): \(problem)"))
        }
        guard lockTimeout.isFinite else {
            throw ValidationError(.msg("--lock-timeout \(lockTimeout): must be a number of seconds"))
        }
        guard lockTimeout >= 0 else {
            throw ValidationError(.msg("--lock-timeout \(lockTimeout): must not be negative"))
        }
    }
}
