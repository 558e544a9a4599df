import Foundation
import Glibc

/// A throwaway directory for one test's host root; removed when released.
public final class TempRoot {
    public let path: String

    public init(_ label: String = "root") {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/ampfix-test-\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("mkdtemp failed in \(base)") }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path` + "/" + relative.
    public func at(_ relative: String) -> String {
        path + "/" + relative.drop { $0 == "/" }
    }

    /// Creates directories (and parents) with a final mode; the parents it creates get 0755.
    public func makeDirectory(_ relative: String, mode: mode_t = 0o755) throws {
        try Self.makeDirectories(at(relative))
        chmod(at(relative), mode)
    }

    /// `path` and its missing parents, each new one 0755 whatever the process umask is at that
    /// moment: libsemanage, which other tests run in this process, sets 077 while it commits,
    /// and a fixture's /opt/cisco made then would be 0700 (a fault 5 the test did not plant).
    static func makeDirectories(_ path: String) throws {
        var made = ""
        for component in path.split(separator: "/") {
            made += "/" + component
            if mkdir(made, 0o755) == 0 {
                chmod(made, 0o755)
            } else if errno != EEXIST {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
    }

    /// The file is written through a close-on-exec descriptor: a program the tests run
    /// meanwhile (another test's, in parallel) must not keep it open for writing, or running the
    /// file (a stand-in script) fails with "Text file busy".
    public func write(_ relative: String, _ text: String, mode: mode_t = 0o644) throws {
        let file = at(relative)
        try Self.makeDirectories((file as NSString).deletingLastPathComponent)
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            written += count
        }
        chmod(file, mode)
    }

    /// Adds `text` to the end of a file (created when absent), keeping its mode.
    public func append(_ relative: String, _ text: String) throws {
        var info = stat()
        let mode = lstat(at(relative), &info) == 0 ? info.st_mode & 0o7777 : 0o644
        let old = (try? String(contentsOfFile: at(relative), encoding: .utf8)) ?? ""
        try write(relative, old + text, mode: mode)
    }

    public func symlink(_ relative: String, to target: String) {
        Glibc.symlink(target, at(relative))
    }

    /// mode (permission bits), uid and gid of a path, not following a final link.
    public func attributes(_ relative: String) -> (mode: UInt32, uid: UInt32, gid: UInt32)? {
        var info = stat()
        guard lstat(at(relative), &info) == 0 else { return nil }
        return (UInt32(info.st_mode) & 0o7777, info.st_uid, info.st_gid)
    }

    public func isSymlink(_ relative: String) -> Bool {
        var info = stat()
        return lstat(at(relative), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}

public enum Privileges {
    /// Whether the tests run as root (ownership changes need it).
    public static var isRoot: Bool { geteuid() == 0 }
}

extension TempRoot {
    /// A root that lives as long as the test process (a suite's shared fixture, held by a
    /// static that is never released): removed when the process exits.
    public static func forTheProcess(_ label: String) -> TempRoot {
        let root = TempRoot(label)
        processRoots.withLock { paths in
            if paths.isEmpty { atexit { TempRoot.removeProcessRoots() } }
            paths.append(root.path)
        }
        return root
    }

    private static func removeProcessRoots() {
        for path in processRoots.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}

private let processRoots = Locked<[String]>([])

/// A value behind a lock (for the at-exit list).
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
