/// What faults 11 and 16 know of the kernel and the distribution.
public struct KernelFacts: Sendable {
    public var release: String?
    /// Where the release came from.
    public var releaseSource: KernelReleaseSource
    public var os: OSRelease?
    public var family: DistroFamily?
    /// Evidence lines gathered on the way (os-release warnings among them).
    public var notes: [Message]

    public static let osReleasePaths = ["/etc/os-release", "/usr/lib/os-release"]

    public static func gather(_ host: any HostFacts, options: RepairOptions) -> KernelFacts {
        var notes: [Message] = []
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
                notes.append(.msg("\(error)"))
            }
        }
        if let os {
            notes += os.warnings
        } else {
            notes.append(.msg("no /etc/os-release or /usr/lib/os-release: the distribution is unknown"))
        }
        return KernelFacts(release: release, releaseSource: source, os: os, family: os.flatMap(DistroFamily.of), notes: notes)
    }

    /// "kernel 6.1.0-18-amd64 (uname) on Debian GNU/Linux 12 (bookworm), family debian"
    public var summary: Message {
        let kernel: Message = release.map { .msg("kernel \($0) (\(releaseSource.message))") } ?? .msg("kernel unknown (\(releaseSource.message))")
        let distro: Message = os.map { .msg("\($0.prettyName) [\($0.summary)]") } ?? .msg("an unknown distribution")
        let family: Message = self.family.map { .msg("\($0.rawValue)") } ?? .msg("unknown")
        return .msg("\(kernel) on \(distro), family \(family)")
    }
}
