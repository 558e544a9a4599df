/// What faults 11 and 16 know of the kernel and the distribution.
public struct KernelFacts: Sendable {
    public var release: String?
    /// Where the release came from: --kernel, uname, or the newest /lib/modules entry.
    public var releaseSource: String
    public var os: OSRelease?
    public var family: DistroFamily?
    /// Evidence lines gathered on the way (os-release warnings among them).
    public var notes: [String]

    public static let osReleasePaths = ["/etc/os-release", "/usr/lib/os-release"]

    public static func gather(_ host: any HostFacts, options: RepairOptions) -> KernelFacts {
        var notes: [String] = []
        var release: String?
        var source = ""
        if let given = options.kernelRelease {
            (release, source) = (given, "--kernel")
        } else if let running = host.runningKernel() {
            (release, source) = (running, "uname")
        } else if let newest = host.list("/lib/modules")?.sorted(by: KernelVersion.newer).first {
            (release, source) = (newest, "the newest entry in /lib/modules; --kernel chooses another")
        } else {
            source = "no running kernel under --root and nothing in /lib/modules; pass --kernel RELEASE"
        }
        var os: OSRelease?
        for path in osReleasePaths {
            if let text = try? host.readText(path) {
                os = OSRelease(path: path, text: text)
                break
            }
        }
        if let os {
            notes += os.warnings
        } else {
            notes.append("no /etc/os-release or /usr/lib/os-release: the distribution is unknown")
        }
        return KernelFacts(release: release, releaseSource: source, os: os, family: os.flatMap(DistroFamily.of), notes: notes)
    }

    /// "kernel 6.1.0-18-amd64 (uname) on Debian GNU/Linux 12 (bookworm), family debian"
    public var summary: String {
        let kernel = release.map { "kernel \($0) (\(releaseSource))" } ?? "kernel unknown (\(releaseSource))"
        let distro = os.map { "\($0.prettyName) [\($0.summary)]" } ?? "an unknown distribution"
        return "\(kernel) on \(distro), family \(family?.rawValue ?? "unknown")"
    }
}

/// The kernel facts of one host, gathered on first use and shared by the faults that need them
/// (8, 9, 11, 16), so that one diagnosis reads os-release and lists /lib/modules once. A repair
/// changes neither the kernel release nor the distribution, so the facts hold for a whole run.
public final class KernelContext {
    public let options: RepairOptions
    private var gathered: KernelFacts?

    public init(options: RepairOptions) {
        self.options = options
    }

    /// The facts of `host`; every call on one context must pass the same host.
    public func facts(_ host: any HostFacts) -> KernelFacts {
        if let gathered { return gathered }
        let facts = KernelFacts.gather(host, options: options)
        gathered = facts
        return facts
    }
}

/// How ampfix gets at the package database: opened on first use (it can cost a few hundred
/// milliseconds) and shared by the faults that need it.
public final class PackageSource {
    private let open: () -> Result<any PackageDatabase, any Error>
    private var opened: Result<any PackageDatabase, any Error>?

    public init(_ open: @escaping () -> Result<any PackageDatabase, any Error>) {
        self.open = open
    }

    public var database: Result<any PackageDatabase, any Error> {
        if let opened { return opened }
        let result = open()
        opened = result
        return result
    }

    public static func unavailable(_ reason: String) -> PackageSource {
        struct Unavailable: Error, CustomStringConvertible { var description: String }
        return PackageSource { .failure(Unavailable(description: reason)) }
    }
}
