import AmpfixCore
import CLinux
import Glibc
import SystemPackage

/// Every path ampfix touches, resolved under one root (`--root`, default `/`). Resolution walks
/// the path one component at a time with `openat(O_PATH|O_NOFOLLOW)`: symbolic links are read and
/// followed inside the root (an absolute target starts again at the root, like a chroot), and a
/// `..` that would climb above the root is refused, so no path can leave it.
public final class RootedFileSystem {
    /// The root as a host path, without a trailing slash (except for "/").
    public let root: String
    let rootFD: FileDescriptor

    public enum Follow {
        /// Follow symbolic links, inside the root.
        case inRoot
        /// Refuse any symbolic link on the way: for changes, where a link swapped in after the
        /// plan must not redirect them.
        case never
        /// Follow links inside the root on the way, never the last name: where a directory of
        /// ampfix's own is read, a link standing in for it is refused, wherever it leads.
        case parentsInRoot
    }

    public init(root: String) throws {
        var normalized = root
        while normalized.count > 1 && normalized.hasSuffix("/") { normalized.removeLast() }
        guard normalized.hasPrefix("/") else {
            throw HostError(.msg("use root"), root, .relativeRoot)
        }
        do {
            rootFD = try FileDescriptor.openChecked(FilePath(normalized), .readOnly, options: [.directory, .closeOnExec])
        } catch {
            throw HostError(.msg("open root directory"), normalized, error)
        }
        // The host's own / under another name ("/.", "/tmp/..", a link to /) is the live host:
        // its programs and services are the trusted ones, and there is nothing to confine.
        var opened = stat(), host = stat()
        if fstat(rootFD.rawValue, &opened) == 0, lstat("/", &host) == 0, opened.st_dev == host.st_dev, opened.st_ino == host.st_ino {
            normalized = "/"
        }
        self.root = normalized
    }

    deinit { try? rootFD.close() }

    /// The host path of a path inside the root, for messages.
    public func hostPath(_ path: String) -> String {
        root == "/" ? path : root + (path.hasPrefix("/") ? path : "/" + path)
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The directory holding `path` ("/" for a top-level name), lexically.
    public static func parent(of path: String) -> String {
        "/" + components(path).dropLast().joined(separator: "/")
    }

    /// The directory holding the last component of `path`, that component's name, and the
    /// physical path (links resolved). The name may not exist. For the root itself the name is ".".
    func resolveParent(_ path: String, follow: Follow) throws -> (parent: FileDescriptor, name: String, physical: String) {
        var stack: [(fd: FileDescriptor, name: String)] = []
        defer { for entry in stack { try? entry.fd.close() } }
        var pending = Array(Self.components(path).reversed())
        var links = 0
        func current() -> FileDescriptor { stack.last?.fd ?? rootFD }
        func physical(_ extra: String? = nil) -> String {
            "/" + (stack.map(\.name) + (extra.map { [$0] } ?? [])).joined(separator: "/")
        }
        func followLink(_ name: String) throws {
            links += 1
            if links > 40 { throw HostError(.msg("resolve"), hostPath(path), Errno.tooManySymbolicLinkLevels) }
            let target: String
            do { target = try current().readLink(name) } catch { throw HostError(.msg("read link"), hostPath(physical(name)), error) }
            if target.hasPrefix("/") {
                for entry in stack { try? entry.fd.close() }
                stack.removeAll()
            }
            pending += Self.components(target).reversed()
        }

        while let name = pending.popLast() {
            if name == "." { continue }
            if name == ".." {
                guard let top = stack.popLast() else {
                    throw HostError(.msg("resolve"), path, .leavesRoot(root: root))
                }
                try? top.fd.close()
                continue
            }
            let isLast = pending.isEmpty
            if isLast && follow != .inRoot {
                return (try duplicate(current(), path), name, physical(name))
            }
            let fd: FileDescriptor
            do {
                fd = try current().openAt(name, flags: O_PATH | O_NOFOLLOW)
            } catch Errno.noSuchFileOrDirectory where isLast {
                return (try duplicate(current(), path), name, physical(name))
            } catch {
                throw HostError(.msg("resolve"), hostPath(physical(name)), error)
            }
            let stat: Stat
            do { stat = try fd.statChecked() } catch {
                try? fd.close()
                throw HostError(.msg("stat"), hostPath(physical(name)), error)
            }
            if stat.type == .symbolicLink {
                try? fd.close()
                if follow == .never {
                    throw HostError(.msg("resolve"), hostPath(physical(name)), .wrongKind(.symbolicLink))
                }
                try followLink(name)
                continue
            }
            if isLast {
                try? fd.close()
                return (try duplicate(current(), path), name, physical(name))
            }
            guard stat.type == .directory else {
                try? fd.close()
                throw HostError(.msg("resolve"), hostPath(physical(name)), Errno.notDirectory)
            }
            stack.append((fd, name))
        }
        return (try duplicate(current(), path), ".", physical())
    }

    private func duplicate(_ fd: FileDescriptor, _ path: String) throws -> FileDescriptor {
        do { return try fd.duplicateChecked() } catch { throw HostError(.msg("resolve"), hostPath(path), error) }
    }

    /// Opens `path` with `flags`. O_NOFOLLOW and O_NONBLOCK are always added: a FIFO planted
    /// where a file is expected must never block the run. Unless a directory (O_DIRECTORY) or a
    /// bare O_PATH descriptor is asked for, the name must be a regular file: it is checked before
    /// the open (opening a FIFO blocks, opening a device can act on it) and again on the
    /// descriptor (the name may have been swapped meanwhile). A file opened for writing must
    /// have exactly one link, so that a hard link planted under ampfix's name (to the root's
    /// passwd, say) is never written through.
    public func open(_ path: String, flags: Int32, mode: UInt32 = 0, follow: Follow = .inRoot) throws -> (fd: FileDescriptor, physical: String) {
        let (parent, name, physical) = try resolveParent(path, follow: follow)
        defer { try? parent.close() }
        let display = hostPath(physical)
        let wantsFile = flags & (O_DIRECTORY | O_PATH) == 0
        if wantsFile, let stat = try? parent.statNoFollow(name) {
            try Self.requireRegular(stat, display)
        }
        let fd: FileDescriptor
        do {
            fd = try parent.openAt(name, flags: flags | O_NOFOLLOW | O_NONBLOCK, mode: mode_t(mode))
        } catch Errno.tooManySymbolicLinkLevels where name != "." {
            throw HostError(.msg("open"), display, .wrongKind(.symbolicLink))
        } catch Errno.notDirectory where flags & O_DIRECTORY != 0 && (try? parent.statNoFollow(name))?.type == .symbolicLink {
            // O_DIRECTORY | O_NOFOLLOW on a link says ENOTDIR: the link is what to name.
            throw HostError(.msg("open"), display, .wrongKind(.symbolicLink))
        } catch {
            throw HostError(.msg("open"), display, error)
        }
        guard wantsFile else { return (fd, physical) }
        do {
            let stat: Stat
            do { stat = try fd.statChecked() } catch { throw HostError(.msg("stat"), display, error) }
            try Self.requireRegular(stat, display)
            if flags & (O_WRONLY | O_RDWR) != 0 && stat.linkCount > 1 {
                throw HostError(.msg("open"), display, .hardLinks(count: Int(stat.linkCount)))
            }
        } catch {
            try? fd.close()
            throw error
        }
        return (fd, physical)
    }

    /// The kernel's pseudo file systems, by statfs magic: files whose reads have effects or no end.
    static let kernelFileSystems: [Int: String] = [
        0x9fa0: "procfs", 0x6265_6572: "sysfs", 0x6462_6720: "debugfs", 0x7472_6163: "tracefs", 0x7363_6673: "securityfs",
        0xcafe_4a11: "bpffs", 0x6367_7270: "cgroup2", 0x27e0eb: "cgroup", 0x6265_6570: "configfs", 0xde5e_81e4: "efivarfs",
        0x6e73_6673: "nsfs", 0x5a3c_69f0: "aafs", 0xf97c_ff8c: "selinuxfs",
    ]

    /// The kernel pseudo file system `fd` is on, or nil for a file system of files.
    static func kernelFileSystem(_ fd: FileDescriptor) -> String? {
        let type = ampfix_fs_type(fd.rawValue)
        guard type != -1 else { return nil }
        return kernelFileSystems[type & 0xffff_ffff]
    }

    static func requireRegular(_ stat: Stat, _ display: String) throws {
        let kind = FileKind(stat.type)
        guard kind == .regular else { throw HostError(.msg("open"), display, .wrongKind(kind)) }
    }

    /// Where `path` resolves inside the root, or nil when it does not exist.
    public func resolve(_ path: String) throws -> String? {
        let parent: FileDescriptor, name: String, physical: String
        do {
            (parent, name, physical) = try resolveParent(path, follow: .inRoot)
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            return nil
        }
        defer { try? parent.close() }
        do {
            _ = try parent.statNoFollow(name)
            return physical
        } catch Errno.noSuchFileOrDirectory {
            return nil
        } catch {
            throw HostError(.msg("stat"), hostPath(physical), error)
        }
    }

    /// The most ampfix reads of one file under a root unless a caller names its own limit. The
    /// largest a healthy host has (an /etc/passwd of 100,000 accounts) is about 7 MiB; a 1 GiB
    /// selinux/config or etc/group is an attack or a mistake, and reading it whole would cost
    /// minutes and gigabytes on every command.
    public static let readLimit = 16 << 20

    /// The whole content of a file, or nil when it does not exist: the one read path for a
    /// file under the root, always bounded.
    /// - Parameter limit: the most bytes to read; a larger file is an error that says so
    ///   (nothing of it is returned), at once when its size shows it.
    public func readFile(_ path: String, limit: Int = RootedFileSystem.readLimit, follow: Follow = .inRoot) throws -> [UInt8]? {
        let fd: FileDescriptor
        let physical: String
        do {
            (fd, physical) = try open(path, flags: O_RDONLY, follow: follow)
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            return nil
        }
        defer { try? fd.close() }
        // A name outside /proc and /sys that leads into a kernel file system (a link in a root to
        // /proc/kmsg, whose reads take messages from the host's log) is not read.
        if let fileSystem = Self.kernelFileSystem(fd), !(path.hasPrefix("/proc/") || path.hasPrefix("/sys/")) {
            throw HostError(.msg("read"), hostPath(physical), .kernelFile(fileSystem: fileSystem))
        }
        // A sparse file shows its size before a byte is read; a kernel file shows none (0).
        if let size = try? fd.statChecked().size, size > limit {
            throw HostError(.msg("read"), hostPath(physical), .tooLarge(limit: Int64(limit)))
        }
        let bytes: [UInt8]
        do { bytes = try fd.readToEnd(limit: limit) } catch { throw HostError(.msg("read"), hostPath(physical), error) }
        if bytes.count > limit {
            throw HostError(.msg("read"), hostPath(physical), .tooLarge(limit: Int64(limit)))
        }
        return bytes
    }

    /// Removes a file (not a directory); a missing file is not an error. The directory is synced.
    public func removeFile(_ path: String) throws {
        let (parent, name, physical) = try resolveParent(path, follow: .never)
        defer { try? parent.close() }
        do {
            let directory = try parent.openAt(".", flags: O_RDONLY | O_DIRECTORY)
            defer { try? directory.close() }
            do { try directory.unlink(name) } catch Errno.noSuchFileOrDirectory { return }
            try directory.sync()
        } catch {
            throw HostError(.msg("remove"), hostPath(physical), error)
        }
    }

    /// Removes a directory and everything below it, never following a symbolic link (a link is
    /// removed, not entered); a missing directory is not an error.
    public func removeTree(_ path: String) throws {
        let (parent, name, physical) = try resolveParent(path, follow: .never)
        defer { try? parent.close() }
        do {
            let directory: FileDescriptor
            do { directory = try parent.openAt(name, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW) } catch Errno.noSuchFileOrDirectory { return }
            defer { try? directory.close() }
            try Self.empty(directory)
            try parent.removeDirectory(name)
        } catch {
            throw HostError(.msg("remove"), hostPath(physical), error)
        }
    }

    private static func empty(_ directory: FileDescriptor) throws {
        for entry in try directory.directoryEntries() {
            if entry.type == UInt8(DT_DIR) {
                let child = try directory.openAt(entry.name, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
                defer { try? child.close() }
                try empty(child)
                try directory.removeDirectory(entry.name)
            } else {
                try directory.unlink(entry.name)
            }
        }
    }

    /// Renames `name` to `newName` inside one directory (`renameat`, links in the two names not
    /// followed), then syncs the directory so that the rename survives a crash.
    public func rename(in directory: String, _ name: String, to newName: String) throws {
        let (fd, physical) = try open(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { try? fd.close() }
        do {
            try fd.rename(name, to: newName, in: fd)
            try fd.sync()
        } catch {
            throw HostError(.msg("rename \(name) to \(newName) in"), hostPath(physical), error)
        }
    }

    /// Creates `path` and missing parents (mode `mode`), inside the root.
    public func makeDirectories(_ path: String, mode: UInt32) throws {
        var prefix = ""
        for component in Self.components(path) {
            prefix += "/" + component
            let (parent, name, physical) = try resolveParent(prefix, follow: .inRoot)
            defer { try? parent.close() }
            do {
                try parent.makeDirectory(name, mode: mode)
            } catch Errno.fileExists {
                continue
            } catch {
                throw HostError(.msg("create directory"), hostPath(physical), error)
            }
        }
    }

    /// Replaces a file's content atomically: a temporary file in the same directory gets the new
    /// content and the old file's mode, owner and extended attributes (SELinux label included);
    /// it is synced, renamed over the old name, and the directory is synced. When the file is
    /// absent it is created with `newFileMode`, owned by the caller. Unchanged content is not
    /// written at all.
    /// - Parameter fresh: ampfix's own file (its state), whose mode, owner and attributes are
    ///   always its own (`newFileMode`, the caller's), never those of what is there: a file
    ///   planted under that name does not lend the new one its setuid bit or owner.
    public func replaceFile(_ path: String, contents: [UInt8], newFileMode: UInt32 = 0o644, fresh: Bool = false) throws {
        // What cannot be read (too large, not a regular file) is replaced all the same.
        if !fresh, let current = try? readFile(path, follow: .never), current == contents { return }
        let (parent, name, physical) = try resolveParent(path, follow: .never)
        defer { try? parent.close() }
        let display = hostPath(physical)
        let directory: FileDescriptor
        do { directory = try parent.openAt(".", flags: O_RDONLY | O_DIRECTORY) } catch {
            throw HostError(.msg("open directory of"), display, error)
        }
        defer { try? directory.close() }

        var original: FileDescriptor?
        if !fresh {
            do { original = try open(path, flags: O_RDONLY, follow: .never).fd } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
                original = nil
            }
        }
        defer { try? original?.close() }

        let tempName = ".\(name).ampfix-\(getpid())"
        let temp: FileDescriptor
        do {
            temp = try directory.openAt(tempName, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode_t(newFileMode))
        } catch {
            throw HostError(.msg("create temporary file for"), display, error)
        }
        var renamed = false
        defer {
            try? temp.close()
            if !renamed { try? directory.unlink(tempName) }
        }
        do {
            _ = try temp.writeAllChecked(contents)
            if let original {
                let stat = try original.statChecked()
                try temp.changeOwner(uid: stat.userID.rawValue, gid: stat.groupID.rawValue)
                try temp.changeMode(UInt32(stat.mode.rawValue) & 0o7777)
                for (key, value) in try original.extendedAttributes() {
                    try temp.setExtendedAttribute(key, value)
                }
            }
            try temp.sync()
        } catch {
            throw HostError(.msg("write temporary file for"), display, error)
        }
        do {
            try directory.rename(tempName, to: name, in: directory)
            renamed = true
            try directory.sync()
        } catch {
            throw HostError(.msg("rename into place"), display, error)
        }
    }
}

extension RootedFileSystem {
    /// What a C library that opens paths itself (libsemanage, libkmod) may be handed under
    /// --root: the kernel follows every link in a host path, so an absolute link planted in the
    /// root would lead the library out of it, and a FIFO or a device would hang it or feed it
    /// without end.
    public struct LibraryTree {
        /// The path inside the root, as the library will build it.
        public var path: String
        /// Check the entries below a directory, all levels (true), or only the directory's own
        /// entries (false: libkmod reads the index files beside the module tree, and the module
        /// files only by the index's paths, which are checked one by one).
        public var recursive: Bool
        /// The names the library reads in a directory that is not walked recursively (libkmod:
        /// `modules.*` beside the module tree, whose `build` link it never opens; `*.conf` in
        /// modprobe.d); others are not checked.
        public var reads: @Sendable (String) -> Bool

        public init(_ path: String, recursive: Bool = true, reads: @escaping @Sendable (String) -> Bool = { _ in true }) {
            self.path = path
            self.recursive = recursive
            self.reads = reads
        }
    }

    /// What a library that writes in the trees it is handed (libsemanage) must not find there.
    /// It opens its files by name with O_CREAT and O_TRUNC and renames its temporary files over
    /// the old ones: a regular file with a second name (a hard link, which no path check can
    /// see through) would have the library write the other name's file — another file of the
    /// root, or one outside it on the same file system — and a leftover at one of its temporary
    /// names is what such a link is planted as.
    public struct LibraryWrites: Sendable {
        /// Whether a file is at one of the library's temporary names, given its name and the
        /// host path of its directory (a library's own scratch directory, which it empties
        /// before it writes there, may hold what a killed run of it left).
        public var temporaryName: @Sendable (_ name: String, _ directory: String) -> Bool

        public init(temporaryName: @escaping @Sendable (_ name: String, _ directory: String) -> Bool) {
            self.temporaryName = temporaryName
        }

        /// One name a regular file with one link may have, wherever it is.
        public static let linksOnly = LibraryWrites { _, _ in false }
    }

    /// Checks, without following anything and without opening any file, that every component
    /// of each tree's path is a real directory (no symbolic link at any level), and that below
    /// it there are only directories and regular files of at most `maximumFileSize` bytes, in
    /// all at most `maximumEntries`. A missing path passes (the library finds nothing there).
    /// - Parameter library: who will be handed the tree, for the message.
    /// - Parameter writes: the library writes in the trees: every regular file must have one
    ///   link, and none may have one of its temporary names.
    public func requireRealTrees(_ trees: [LibraryTree], for library: String, maximumFileSize: Int64, maximumEntries: Int = 200_000,
                                 writes: LibraryWrites? = nil) throws {
        var seen = 0
        for tree in trees {
            guard let start = try realDirectoryPath(tree.path, for: library, maximumFileSize: maximumFileSize, writes: writes) else { continue }
            defer { try? start.fd.close() }
            try requireRealEntries(start.fd, path: start.display, recursive: tree.recursive, reads: tree.reads, library: library,
                                   maximumFileSize: maximumFileSize, maximumEntries: maximumEntries, writes: writes, seen: &seen)
        }
    }

    /// A regular file a writing library may be handed: one name, not one of its temporaries.
    private func requireWritable(_ stat: Stat, name: String, at display: String, _ writes: LibraryWrites?, _ library: String) throws {
        guard let writes else { return }
        if stat.linkCount > 1 {
            throw HostError(.msg("hand to \(library)"), display, .libraryWouldWriteThrough(links: Int(stat.linkCount), library: library))
        }
        if writes.temporaryName(name, String(display.dropLast(name.count + 1))) {
            throw HostError(.msg("hand to \(library)"), display, .libraryTemporaryLeftover(library: library))
        }
    }

    private func requireSize(_ stat: Stat, at display: String, _ maximumFileSize: Int64, _ library: String) throws {
        guard Int64(stat.size) > maximumFileSize else { return }
        throw HostError(.msg("hand to \(library)"), display, .tooLargeForLibrary(size: Int64(stat.size), limit: maximumFileSize, library: library))
    }

    private func refusal(_ display: String, _ kind: FileKind, _ library: String) -> HostError {
        HostError(.msg("hand to \(library)"), display, .libraryWouldFollow(kind, library: library))
    }

    /// Walks `path` one component at a time (O_PATH, no links); nil when a component is missing.
    /// Returns a descriptor on the last component when it is a directory; a regular file is
    /// checked for its size and nil is returned.
    private func realDirectoryPath(_ path: String, for library: String, maximumFileSize: Int64,
                                   writes: LibraryWrites?) throws -> (fd: FileDescriptor, display: String)? {
        var current = try rootFD.duplicateChecked()
        var walked = ""
        let components = Self.components(path)
        for (index, name) in components.enumerated() {
            walked += "/" + name
            let stat: Stat
            do { stat = try current.statNoFollow(name) } catch Errno.noSuchFileOrDirectory {
                try? current.close()
                return nil
            } catch {
                try? current.close()
                throw HostError(.msg("stat"), hostPath(walked), error)
            }
            let kind = FileKind(stat.type)
            let last = index == components.count - 1
            if kind == .regular && last {
                try? current.close()
                try requireSize(stat, at: hostPath(walked), maximumFileSize, library)
                try requireWritable(stat, name: name, at: hostPath(walked), writes, library)
                return nil
            }
            guard kind == .directory else {
                try? current.close()
                throw refusal(hostPath(walked), kind, library)
            }
            let next: FileDescriptor
            do { next = try current.openAt(name, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW) } catch {
                try? current.close()
                throw HostError(.msg("open"), hostPath(walked), error)
            }
            try? current.close()
            current = next
        }
        return (current, hostPath(walked.isEmpty ? "/" : walked))
    }

    private func requireRealEntries(_ directory: FileDescriptor, path: String, recursive: Bool, reads: (String) -> Bool = { _ in true },
                                    library: String, maximumFileSize: Int64, maximumEntries: Int, writes: LibraryWrites?,
                                    seen: inout Int) throws {
        let entries: [(name: String, type: UInt8, utf8: Bool)]
        do { entries = try directory.directoryEntries() } catch { throw HostError(.msg("list directory"), path, error) }
        seen += entries.count
        if seen > maximumEntries {
            throw HostError(.msg("hand to \(library)"), path, .tooManyEntries(limit: maximumEntries, library: library))
        }
        for entry in entries where recursive || reads(entry.name) {
            let display = path + "/" + entry.name
            let stat: Stat
            do { stat = try directory.statNoFollow(entry.name) } catch { throw HostError(.msg("stat"), display, error) }
            switch FileKind(stat.type) {
            case .regular:
                try requireSize(stat, at: display, maximumFileSize, library)
                try requireWritable(stat, name: entry.name, at: display, writes, library)
            case .directory:
                guard recursive else { continue }
                let child: FileDescriptor
                do { child = try directory.openAt(entry.name, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW) } catch {
                    throw HostError(.msg("open directory"), display, error)
                }
                defer { try? child.close() }
                try requireRealEntries(child, path: display, recursive: true, library: library,
                                       maximumFileSize: maximumFileSize, maximumEntries: maximumEntries, writes: writes, seen: &seen)
            case let kind:
                throw refusal(display, kind, library)
            }
        }
    }
}
