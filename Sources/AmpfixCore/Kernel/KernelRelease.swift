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
