import AmpfixCore
import AmpfixHost
import AmpfixSystem
import ArgumentParser

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
        if let problem = PathCheck.directory(root) {
            throw ValidationError("--root \(root): \(problem)")
        }
        guard lockTimeout.isFinite else {
            throw ValidationError("--lock-timeout \(lockTimeout): must be a number of seconds")
        }
        guard lockTimeout >= 0 else {
            throw ValidationError("--lock-timeout \(lockTimeout): must not be negative")
        }
    }
}
