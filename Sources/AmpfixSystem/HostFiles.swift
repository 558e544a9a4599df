import AmpfixCore
import CZlib
import Glibc
import SystemPackage

/// The host's facts, read from the files under the root.
public struct HostFiles: HostFacts {
    /// Internal to this module (its extensions read through it): nothing outside can reach the
    /// file system's write methods through the facts.
    let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    /// Configuration files of a few KiB are read up to `smallFileLimit`: 16 MiB of blank lines
    /// cost a parser seconds and hundreds of MiB on every command.
    public static let smallFiles: Set<String> = ["/etc/login.defs", "/etc/os-release", "/usr/lib/os-release", "/etc/selinux/config",
                                                "/etc/selinux/semanage.conf", PreflightRecord.path]
    public static let smallFileLimit = 1 << 20

    public func readBytes(_ path: String) throws -> [UInt8]? {
        try fs.readFile(path, limit: Self.isSmall(path) ? Self.smallFileLimit : RootedFileSystem.readLimit)
    }

    /// A kernel's configuration is a few hundred KiB (Debian 12's: 270 KiB).
    static func isSmall(_ path: String) -> Bool {
        smallFiles.contains(path) || (path.hasPrefix("/boot/config-") && !path.dropFirst(13).contains("/"))
    }

    public func exists(_ path: String) -> Bool {
        (try? fs.resolve(path)) != nil
    }

    public func resolve(_ path: String) throws -> String? {
        try fs.resolve(path)
    }

    /// Services are managed only on the live host (root "/"), under a running systemd, and only
    /// when the unit is installed.
    public func serviceAvailability(_ unit: String) -> ServiceAvailability {
        if fs.root != "/" {
            return .unavailable(Refusal.servicesNotUnderRoot(root: fs.root).message)
        }
        if !exists("/run/systemd/system") {
            return .unavailable(.msg("systemd is not running here (a container or another init)"))
        }
        let directories = ["/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"]
        if !directories.contains(where: { exists("\($0)/\(unit).service") }) {
            return .unavailable(.msg("the unit \(unit).service is not installed"))
        }
        if Programs.locate("systemctl") == nil {
            return .unavailable(.msg("systemctl is not installed"))
        }
        return .manageable
    }

    public func runningKernel() -> String? {
        guard fs.root == "/" else { return nil }
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    public func readCompressedText(_ path: String) throws -> String? {
        guard try fs.resolve(path) != nil else { return nil }
        let (fd, physical) = try fs.open(path, flags: O_RDONLY)
        guard let file = gzdopen(fd.rawValue, "rb") else {
            try? fd.close()
            throw HostError(.msg("open"), fs.hostPath(physical), .notGzip)
        }
        defer { gzclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = gzread(file, &chunk, UInt32(chunk.count))
            if count < 0 { throw HostError(.msg("decompress"), fs.hostPath(physical), .corruptGzip) }
            if count == 0 { break }
            bytes += chunk[..<Int(count)]
            // A kernel's config is about 300 KiB inflated; a planted gzip bomb stops here.
            if bytes.count > RootedFileSystem.readLimit {
                throw HostError(.msg("decompress"), fs.hostPath(physical), .tooLarge(limit: Int64(RootedFileSystem.readLimit)))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func availableBytes(at path: String) -> Int? {
        // A directory is what is asked of most (/opt/cisco/amp): opened as one, a file as a file.
        guard let (fd, _) = (try? fs.open(path, flags: O_RDONLY | O_DIRECTORY)) ?? (try? fs.open(path, flags: O_RDONLY)) else { return nil }
        defer { try? fd.close() }
        var info = statvfs()
        guard case .success = nothingOrErrno("fstatvfs", { fstatvfs(fd.rawValue, &info) }) else { return nil }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    public func list(_ path: String) -> [String]? {
        guard (try? fs.resolve(path)) != nil, let (fd, _) = try? fs.open(path, flags: O_RDONLY | O_DIRECTORY) else { return nil }
        defer { try? fd.close() }
        return (try? fd.directoryEntries())?.map(\.name)
    }

    public func packageInstallBlocker() -> Message? { packageInstallRefusal()?.message }

    /// Package installs only on the live host, never from inside a dpkg or rpm transaction: a
    /// maintainer script runs with dpkg's lock held, and apt-get would wait for it forever.
    public func packageInstallRefusal() -> Refusal? {
        // First the transaction: it is the reason whatever the root.
        for variable in ["DPKG_MAINTSCRIPT_NAME", "DPKG_RUNNING_VERSION"] {
            if let value = getenv(variable) {
                return .insideMaintainerScript(variable: variable, value: String(cString: value))
            }
        }
        if fs.root != "/" { return .packagesNotUnderRoot(root: fs.root) }
        for lock in PackageLocks.paths {
            if let holder = PackageLocks.holder(of: lock) {
                return .packageLockHeld(lock: lock, process: "\(holder)")
            }
        }
        return nil
    }

    /// Walks with one open descriptor per level: each directory is opened from its parent's
    /// descriptor with O_NOFOLLOW, so a symbolic link in the tree is never entered.
    public func directoryTree(at path: String) throws -> DirectoryTree {
        guard let resolved = try fs.resolve(path) else {
            return DirectoryTree(requested: path, resolved: nil, directories: [], symlinks: [])
        }
        let (start, physical) = try fs.open(resolved, flags: O_RDONLY | O_DIRECTORY, follow: .never)
        defer { try? start.close() }
        var directories: [DirectoryEntry] = []
        var symlinks: [String] = []
        try walk(start, path: physical, depth: 0, into: &directories, symlinks: &symlinks)
        var tree = DirectoryTree(requested: path, resolved: physical, directories: directories, symlinks: symlinks)
        tree.directoryLinks = symlinks.compactMap(directoryBehind)
        for link in symlinks where !tree.directoryLinks.contains(where: { $0.path == link }) {
            do {
                if try fs.resolve(link) == nil { tree.brokenLinks[link] = "it leads to nothing inside the root (dangling)" }
            } catch let error as HostError {
                tree.brokenLinks[link] = error.reason
            }
        }
        return tree
    }

    /// The directory a link leads to, resolved inside the root; nil for a link to anything else,
    /// a dangling link, or one that cannot be resolved.
    private func directoryBehind(_ link: String) -> DirectoryLink? {
        guard let (fd, physical) = try? fs.open(link, flags: O_RDONLY | O_DIRECTORY, follow: .inRoot) else { return nil }
        defer { try? fd.close() }
        guard let stat = try? fd.statChecked() else { return nil }
        return DirectoryLink(path: link, target: DirectoryEntry(path: physical, attributes: DirectoryAttributes(stat)))
    }

    /// How deep a walk goes: the connector's tree is about ten levels; a tree thousands deep
    /// (planted) would hold a descriptor per level and make every change resolve thousands of
    /// components.
    public static let deepestWalk = 256

    private func walk(_ fd: FileDescriptor, path: String, depth: Int, into directories: inout [DirectoryEntry], symlinks: inout [String]) throws {
        guard depth <= Self.deepestWalk else {
            throw HostError(.msg("walk"), fs.hostPath(path), .tooDeep(levels: Self.deepestWalk))
        }
        let stat: Stat
        do { stat = try fd.statChecked() } catch { throw HostError(.msg("stat"), fs.hostPath(path), error) }
        directories.append(DirectoryEntry(path: path, attributes: DirectoryAttributes(stat)))
        let entries: [(name: String, type: UInt8, utf8: Bool)]
        do { entries = try fd.directoryEntries() } catch { throw HostError(.msg("list directory"), fs.hostPath(path), error) }
        for entry in entries {
            // A name that is not UTF-8 comes escaped (PathBytes) and is checked, journaled and
            // repaired by that escaped form like any other.
            let childPath = path == "/" ? "/" + entry.name : path + "/" + entry.name
            var type = entry.type
            if type == UInt8(DT_UNKNOWN) {
                guard let stat = try? fd.statNoFollow(entry.name) else { continue }
                type = stat.type == .directory ? UInt8(DT_DIR) : stat.type == .symbolicLink ? UInt8(DT_LNK) : UInt8(DT_REG)
            }
            if type == UInt8(DT_LNK) {
                symlinks.append(childPath)
            } else if type == UInt8(DT_DIR) {
                let child: FileDescriptor
                do {
                    child = try fd.openAt(entry.name, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
                } catch Errno.tooManySymbolicLinkLevels {
                    // Swapped for a link since the listing: report it, do not enter it.
                    symlinks.append(childPath)
                    continue
                } catch {
                    throw HostError(.msg("open directory"), fs.hostPath(childPath), error)
                }
                defer { try? child.close() }
                try walk(child, path: childPath, depth: depth + 1, into: &directories, symlinks: &symlinks)
            }
        }
    }
}

extension DirectoryAttributes {
    init(_ stat: Stat) {
        self.init(mode: UInt32(stat.mode.rawValue), uid: stat.userID.rawValue, gid: stat.groupID.rawValue)
    }
}

/// The locks dpkg and rpm hold during a transaction: fcntl record locks, seen with F_GETLK.
public enum PackageLocks {
    public static let paths = ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/rpm/.rpm.lock"]

    /// Waits until no other process holds any of `paths` (a package transaction has ended), at
    /// most `limit`, looking every `interval`; told once, naming the holder, when it waits.
    /// Returns the lock and holder still held when the time ran out, nil when all are free.
    public static func waitUntilFree(_ paths: [String] = paths, limit: Duration, interval: Duration = .milliseconds(500),
                                     waiting: (Message) -> Void = { _ in }) -> (lock: String, holder: pid_t)? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        var told = false
        while true {
            guard let held = paths.lazy.compactMap({ path in holder(of: path).map { (lock: path, holder: $0) } }).first else { return nil }
            if !told {
                waiting(.msg("waiting for the package transaction of pid \(held.holder) to end (lock \(held.lock)), at most \(Int(limit.inSeconds)) s"))
                told = true
            }
            if clock.now >= deadline { return held }
            Pause.sleep(interval)
        }
    }

    /// The pid holding a write lock on `path`, or nil when nobody does (or the file is absent).
    public static func holder(of path: String) -> pid_t? {
        guard case .success(let fd) = valueOrErrno("open", { open(path, O_RDONLY | O_CLOEXEC) }) else { return nil }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        guard case .success = nothingOrErrno("fcntl", { fcntl(fd, F_GETLK, &lock) }), lock.l_type != Int16(F_UNLCK) else { return nil }
        return lock.l_pid
    }
}
