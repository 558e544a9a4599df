/// A kernel release names a directory under /lib/modules: a plain name, never a path.
public enum KernelRelease {
    public static func isValid(_ release: String) -> Bool {
        !release.isEmpty && release != "." && release != ".." && !release.contains("/") && release.utf8.count <= 255
            && !release.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
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
