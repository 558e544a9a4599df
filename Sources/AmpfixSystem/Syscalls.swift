import CLinux
import Glibc
import SystemPackage

// The calls swift-system does not wrap, in its three levels: the raw call, a `Result<T, Errno>`
// function that retries on EINTR, and a public `throws(Errno)` method.

private func valueOrErrno<I: FixedWidthInteger>(retryOnInterrupt: Bool = true, _ call: () -> I) -> Result<I, Errno> {
    while true {
        let value = call()
        if value != -1 { return .success(value) }
        let error = Errno(rawValue: errno)
        if retryOnInterrupt && error == .interrupted { continue }
        return .failure(error)
    }
}

private func nothingOrErrno<I: FixedWidthInteger>(retryOnInterrupt: Bool = true, _ call: () -> I) -> Result<Void, Errno> {
    valueOrErrno(retryOnInterrupt: retryOnInterrupt, call).map { _ in () }
}

/// O_PATH, which Glibc's Swift module hides behind _GNU_SOURCE.
public let O_PATH: Int32 = ampfix_O_PATH

extension FileDescriptor {
    /// `openat(2)` relative to this directory descriptor. Always adds O_CLOEXEC.
    public func openAt(_ name: String, flags: Int32, mode: mode_t = 0) throws(Errno) -> FileDescriptor {
        let fd = try valueOrErrno { Glibc.openat(rawValue, name, flags | O_CLOEXEC, mode) }.get()
        return FileDescriptor(rawValue: fd)
    }

    /// `fchmod(2)`: the mode of the file this descriptor is open on; no path, so no symlink.
    public func changeMode(_ mode: UInt32) throws(Errno) {
        try nothingOrErrno { Glibc.fchmod(rawValue, mode_t(mode)) }.get()
    }

    /// `fchown(2)`; pass `UInt32.max` (-1) to leave the uid or gid as it is.
    public func changeOwner(uid: UInt32, gid: UInt32) throws(Errno) {
        try nothingOrErrno { Glibc.fchown(rawValue, uid, gid) }.get()
    }

    /// `fsync(2)`.
    public func sync() throws(Errno) {
        try nothingOrErrno { Glibc.fsync(rawValue) }.get()
    }

    /// `renameat(2)` from a name in this directory to a name in `target`.
    public func rename(_ name: String, to newName: String, in target: FileDescriptor) throws(Errno) {
        try nothingOrErrno { Glibc.renameat(rawValue, name, target.rawValue, newName) }.get()
    }

    /// `renameat2(2)` with RENAME_NOREPLACE: fails with EEXIST rather than replace `newName`.
    public func renameNoReplace(_ name: String, to newName: String, in target: FileDescriptor) throws(Errno) {
        try nothingOrErrno { ampfix_renameat_noreplace(rawValue, name, target.rawValue, newName) }.get()
    }

    /// `readlinkat(2)` of a name in this directory.
    public func readLink(_ name: String) throws(Errno) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try valueOrErrno { Glibc.readlinkat(rawValue, name, &buffer, buffer.count - 1) }.get()
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `mkdirat(2)`.
    public func makeDirectory(_ name: String, mode: UInt32) throws(Errno) {
        try nothingOrErrno { Glibc.mkdirat(rawValue, name, mode_t(mode)) }.get()
    }

    /// `unlinkat(2)` of an empty directory.
    public func removeDirectory(_ name: String) throws(Errno) {
        try nothingOrErrno { Glibc.unlinkat(rawValue, name, AT_REMOVEDIR) }.get()
    }

    /// `unlinkat(2)` of a file (not a directory).
    public func unlink(_ name: String) throws(Errno) {
        try nothingOrErrno { Glibc.unlinkat(rawValue, name, 0) }.get()
    }

    /// `fstatat(2)` of a name in this directory, never following a final symbolic link.
    public func statNoFollow(_ name: String) throws(Errno) -> Stat {
        try FilePath(name).stat(relativeTo: self, flags: .symlinkNoFollow)
    }

    /// `flock(2)` with LOCK_NB: true when the lock was taken, false when someone else holds it.
    public func tryLockExclusive() throws(Errno) -> Bool {
        switch nothingOrErrno({ ampfix_flock(rawValue, LOCK_EX | LOCK_NB) }) {
        case .success: return true
        case .failure(let error) where error == .wouldBlock: return false
        case .failure(let error): throw error
        }
    }

    /// `fstatvfs(3)`: whether the file system is mounted read-only.
    public func isOnReadOnlyFileSystem() throws(Errno) -> Bool {
        var info = statvfs()
        try nothingOrErrno { Glibc.fstatvfs(rawValue, &info) }.get()
        return info.f_flag & UInt(ST_RDONLY) != 0
    }

    /// Reads until end of file, or until more than `limit` bytes are read (the caller tells a
    /// larger file by the count).
    public func readToEnd(limit: Int = .max) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }

    /// `ftruncate(2)`.
    public func truncate(to size: Int64) throws(Errno) {
        try nothingOrErrno { Glibc.ftruncate(rawValue, off_t(size)) }.get()
    }

    /// `flistxattr(2)` + `fgetxattr(2)`: every extended attribute (SELinux label included).
    public func extendedAttributes() throws(Errno) -> [(name: String, value: [UInt8])] {
        let size = try valueOrErrno { CLinux.flistxattr(rawValue, nil, 0) }.get()
        if size == 0 { return [] }
        var names = [CChar](repeating: 0, count: size)
        let used = try valueOrErrno { CLinux.flistxattr(rawValue, &names, names.count) }.get()
        var result: [(String, [UInt8])] = []
        for raw in names[..<used].split(separator: 0) {
            let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let length = try valueOrErrno { CLinux.fgetxattr(rawValue, name, nil, 0) }.get()
            var value = [UInt8](repeating: 0, count: length)
            let got = try valueOrErrno { CLinux.fgetxattr(rawValue, name, &value, value.count) }.get()
            result.append((name, Array(value[..<got])))
        }
        return result
    }

    /// `fsetxattr(2)`.
    public func setExtendedAttribute(_ name: String, _ value: [UInt8]) throws(Errno) {
        try nothingOrErrno { CLinux.fsetxattr(rawValue, name, value, value.count, 0) }.get()
    }

    /// Names in the directory this descriptor is open on, with their `d_type`, sorted by name.
    /// Reads through a duplicate so that this descriptor stays open.
    /// A name that is not valid UTF-8 comes back with `utf8` false and its invalid bytes shown as
    /// U+FFFD: it cannot be opened by that name.
    public func directoryEntries() throws(Errno) -> [(name: String, type: UInt8, utf8: Bool)] {
        let copy = try valueOrErrno { Glibc.fcntl(rawValue, F_DUPFD_CLOEXEC, 0) }.get()
        guard let stream = Glibc.fdopendir(copy) else {
            let error = Errno(rawValue: errno)
            _ = Glibc.close(copy)
            throw error
        }
        defer { Glibc.closedir(stream) }
        var entries: [(String, UInt8, Bool)] = []
        while true {
            errno = 0
            guard let entry = Glibc.readdir(stream) else {
                if errno != 0 { throw Errno(rawValue: errno) }
                break
            }
            let (name, valid) = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { raw -> (String, Bool) in
                    if let valid = String(validatingCString: raw) { return (valid, true) }
                    return (String(cString: raw), false)
                }
            }
            if name == "." || name == ".." { continue }
            entries.append((name, entry.pointee.d_type, valid))
        }
        return entries.sorted { $0.0 < $1.0 }
    }
}
