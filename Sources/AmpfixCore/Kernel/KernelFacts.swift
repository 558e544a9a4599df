/// What faults 11 and 16 know of the kernel and the distribution.
public struct KernelFacts: Sendable {
    public var release: String?
    /// Where the release came from.
    public var releaseSource: KernelReleaseSource
    public var os: OSRelease?
    public var family: DistroFamily?
    /// Evidence lines gathered on the way (os-release warnings among them).
    public var notes: [String]

    public static let osReleasePaths = ["/etc/os-release", "/usr/lib/os-release"]

    public static func gather(_ host: any HostFacts, options: RepairOptions) -> KernelFacts {
        var notes: [String] = []
        var release: String?
        var source = KernelReleaseSource.none
        if let given = options.kernelRelease {
            (release, source) = (given, .option)
        } else if let running = host.runningKernel() {
            (release, source) = (running, .running)
        } else if let newest = host.list("/lib/modules")?.filter(KernelRelease.isValid).sorted(by: KernelVersion.newer).first {
            (release, source) = (newest, .newestInstalled)
        }
        var os: OSRelease?
        for path in osReleasePaths {
            do {
                if let text = try host.readText(path) {
                    os = OSRelease(path: path, text: text)
                    break
                }
            } catch {
                notes.append("\(error)")
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
        let kernel = release.map { "kernel \($0) (\(releaseSource.rawValue))" } ?? "kernel unknown (\(releaseSource.rawValue))"
        let distro = os.map { "\($0.prettyName) [\($0.summary)]" } ?? "an unknown distribution"
        return "\(kernel) on \(distro), family \(family?.rawValue ?? "unknown")"
    }
}

/// A kernel release names a directory under /lib/modules: a plain name, never a path.
public enum KernelRelease {
    public static func isValid(_ release: String) -> Bool {
        !release.isEmpty && release != "." && release != ".." && !release.contains("/") && release.utf8.count <= 255
            && !release.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
    }
}

/// Where the kernel release that faults 8, 9, 11 and 16 look at came from; the raw value is how
/// the evidence says it.
public enum KernelReleaseSource: String, Sendable {
    /// --kernel RELEASE.
    case option = "--kernel"
    /// The running kernel (uname), on the live host.
    case running = "uname"
    /// Under --root: the newest /lib/modules entry.
    case newestInstalled = "the newest entry in /lib/modules; --kernel chooses another"
    /// Under --root with an empty /lib/modules.
    case none = "no running kernel under --root and nothing in /lib/modules; pass --kernel RELEASE"
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
