import AmpfixCore
import CConfine
import Glibc

/// Where a tool handed an untrusted root runs (DESIGN.md rule 8): a mount namespace of its own
/// whose `/` is an empty, read-only tmpfs holding the host's program trees read-only
/// (`hostTrees`) and the root at its own path, mounted noexec, nosuid and nodev — its own mount
/// only: a procfs mounted in the root would hand the tool /proc/PID/root, a way back to the
/// host's tree (and to programs outside the noexec mount), and a host directory bound into it
/// would be written. `useradd --root R` chroots into R and then runs R's nscd, sss_cache and
/// login.defs' USERDEL_CMD as uid 0; there, each of those fails with EACCES. A chroot is no
/// boundary for uid 0, a mount flag the kernel checks at execve is. Nothing else of the host
/// (its /etc, /home, /var, /proc, /dev) is there to reach. What a tool writes by name through a
/// hard link is not a mount's matter: `RootedFileSystem.requireRealTrees(writes:)` is checked
/// first (`runShadowTool`).
///
/// Own code (`CConfine`), not bubblewrap: bubblewrap binds nosuid and nodev but has no noexec.
/// On the live host (root /) there is no confinement: its own programs are the trusted ones.
public struct Confinement {
    /// The root handed to the tool.
    public let root: RootedFileSystem

    /// nil for the live host's root.
    public init?(_ root: RootedFileSystem) {
        guard root.root != "/" else { return nil }
        self.root = root
    }

    /// What the shadow tools need of the host: their programs and libraries (merged /usr or
    /// not) and the loader's cache. Links (/bin -> usr/bin) are copied as links.
    public static let hostTrees = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache"]

    /// The step `ampfix_spawn_confined` failed at.
    public enum Step: Int32, Sendable {
        case none = 0, clone, makePrivate, tmpfs, hostTree, rootBind, rootNoexec, pivot, descriptors, exec

        /// What was attempted, as "cannot %1$s %2$s" has it (the object is the program).
        public var operation: Message {
            switch self {
            case .none, .exec: return .msg("run")
            case .clone: return .msg("start in a mount namespace of its own")
            case .makePrivate: return .msg("make the mounts private for")
            case .tmpfs: return .msg("mount an empty root for")
            case .hostTree: return .msg("bind the host's programs read-only for")
            case .rootBind: return .msg("bind the root at its own path for")
            case .rootNoexec: return .msg("mount the root noexec, nosuid and nodev for")
            case .pivot: return .msg("enter the confined root for")
            case .descriptors: return .msg("set up the descriptors of")
            }
        }
    }

    /// Starts `path` confined; 0 and `pid` set, or an errno with `failedStep` set.
    func spawn(path: String, _ argv: [UnsafeMutablePointer<CChar>?], _ environment: [UnsafeMutablePointer<CChar>?],
               output: Int32, keeping kept: [Int32], pid: inout pid_t, failedStep: inout Step) -> Int32 {
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard devNull >= 0 else {
            failedStep = .descriptors
            return errno
        }
        defer { close(devNull) }
        var step: Int32 = 0
        let result = withCStrings(Self.hostTrees) { trees in
            kept.withUnsafeBufferPointer { keptFDs in
                ampfix_spawn_confined(path, argv, environment, root.rootFD.rawValue, root.root, trees,
                                      devNull, output, keptFDs.baseAddress, Int32(keptFDs.count), &step)
            }
        }
        failedStep = Step(rawValue: step) ?? .exec
        guard result > 0 else { return -result }
        pid = result
        return 0
    }
}
