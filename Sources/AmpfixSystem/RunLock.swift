import AmpfixCore
import Glibc
import SystemPackage

/// One ampfix at a time per root: an exclusive flock on `<root>/run/ampfix.lock`, held until the
/// process exits — and, when ampfix is killed, until the last tool it started exits (the tools
/// inherit the descriptor: `Programs.keepOpenInTools`). The holder's pid is written into the file
/// for the message others get.
public final class RunLock {
    public static let path = "/run/ampfix.lock"
    private let fd: FileDescriptor

    private init(fd: FileDescriptor) {
        self.fd = fd
    }

    deinit {
        Programs.stopKeepingOpenInTools(fd.rawValue)
        try? fd.close()
    }

    /// Takes the lock, waiting up to `timeout` seconds. With `create` false (dry-run, which must
    /// not change the root) a missing lock file means nobody holds it and nil is returned.
    public static func acquire(_ fs: RootedFileSystem, timeout: Double, create: Bool, waiting: (Message) -> Void = { _ in }) throws -> RunLock? {
        let fd: FileDescriptor
        do {
            // The lock is a regular file of ampfix's own: a link (to the root's passwd, say) or
            // a hard link is refused by name, never opened for writing (RootedFileSystem.open).
            if create {
                try fs.makeDirectories("/run", mode: 0o755)
                fd = try fs.open(path, flags: O_RDWR | O_CREAT, mode: 0o600, follow: .never).fd
            } else {
                fd = try fs.open(path, flags: O_RDONLY, follow: .never).fd
            }
        } catch let error as HostError where !create && error.errno == .noSuchFileOrDirectory {
            return nil
        }
        let lock = RunLock(fd: fd)
        let deadline = monotonicSeconds() + timeout
        var told = false
        while true {
            let taken: Bool
            do { taken = try fd.tryLockExclusive() } catch { throw HostError(.msg("lock"), fs.hostPath(path), error) }
            if taken { break }
            var pid = [UInt8](repeating: 0, count: 32)
            let count = (try? pid.withUnsafeMutableBytes { try fd.readChecked(fromAbsoluteOffset: 0, into: $0) }) ?? 0
            let holder = String(decoding: pid[..<count].filter { (0x30...0x39).contains($0) }, as: UTF8.self)
            let who: Message
            if let pid = pid_t(holder), kill(pid, 0) != 0 && errno == ESRCH {
                who = .msg("a program started by ampfix (pid \(holder), which has ended)")
            } else {
                who = holder.isEmpty ? .msg("another ampfix") : .msg("ampfix (pid \(holder))")
            }
            if !told {
                // TRANSLATORS: %1$s is who holds the lock ("ampfix (pid 42)"), %2$s the root, %3$s the lock file.
                waiting(.msg("waiting for \(who) to finish on \(fs.root) (lock \(fs.hostPath(path)))"))
                told = true
            }
            if monotonicSeconds() >= deadline {
                throw HostError(.msg("lock"), fs.hostPath(path), .runLockHeld(holder: who, root: fs.root, seconds: Int(timeout)))
            }
            usleep(50_000)
        }
        Programs.keepOpenInTools(fd.rawValue)
        if create {
            try? fd.resizeChecked(to: 0)
            _ = try? fd.writeAllChecked(toAbsoluteOffset: 0, Array("\(getpid())\n".utf8))
        }
        return lock
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}


/// The run lock of one root, as the core's `Run` takes it.
public struct RootRunLock: RunLockPlace {
    public let fs: RootedFileSystem
    public let timeout: Double
    /// Told once when another ampfix holds the lock and this one waits.
    public let waiting: (Message) -> Void

    public init(fs: RootedFileSystem, timeout: Double, waiting: @escaping (Message) -> Void = { _ in }) {
        self.fs = fs
        self.timeout = timeout
        self.waiting = waiting
    }

    public func acquire(create: Bool) throws -> AnyObject? {
        try RunLock.acquire(fs, timeout: timeout, create: create, waiting: waiting)
    }

    /// Whether the lock's directory (`<root>/run`, or the root when it has none) is on a
    /// read-only file system.
    public var isReadOnly: Bool {
        let place = (try? fs.resolve("/run")) != nil ? "/run" : "/"
        guard let (fd, _) = try? fs.open(place, flags: O_RDONLY | O_DIRECTORY) else { return false }
        defer { try? fd.close() }
        return (try? fd.isOnReadOnlyFileSystem()) == true
    }
}
