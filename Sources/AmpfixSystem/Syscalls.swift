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

/// Linux names are bytes, not text. ampfix carries them as Swift strings in which a byte that
/// is not part of valid UTF-8, and the backslash itself, is written `\xNN` (so `\x5c` is a
/// backslash): valid UTF-8 names read as they are, any name survives a trip through a change,
/// the journal's JSON and a report, and every call below turns the escapes back into the bytes.
public enum PathBytes {
    public static func escaped(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self), !text.contains("\\") { return text }
        var out = ""
        var index = 0
        while index < bytes.count {
            // The longest valid UTF-8 sequence starting here (1-4 bytes), else one escaped byte.
            var taken = false
            for length in (1...min(4, bytes.count - index)).reversed() {
                let piece = Array(bytes[index..<index + length])
                if let text = String(validating: piece, as: UTF8.self), text.unicodeScalars.count == 1, piece != [0x5c] {
                    out += text
                    index += length
                    taken = true
                    break
                }
            }
            if !taken {
                let hex = String(bytes[index], radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                index += 1
            }
        }
        return out
    }

    /// The bytes an escaped name stands for.
    public static func bytes(_ name: String) -> [UInt8] {
        let utf8 = Array(name.utf8)
        guard utf8.contains(0x5c) else { return utf8 }
        var out: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x5c, index + 3 < utf8.count, utf8[index + 1] == UInt8(ascii: "x"),
               let byte = UInt8(String(decoding: utf8[index + 2...index + 3], as: UTF8.self), radix: 16) {
                out.append(byte)
                index += 4
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }
}

/// Calls `body` with the C string of the bytes `name` stands for (see `PathBytes`).
func withPathBytes<R>(_ name: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
    guard name.utf8.contains(0x5c) else { return name.withCString(body) }
    let bytes = PathBytes.bytes(name).map { CChar(bitPattern: $0) } + [0]
    return bytes.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// O_PATH, which Glibc's Swift module hides behind _GNU_SOURCE.
public let O_PATH: Int32 = ampfix_O_PATH

extension FileDescriptor {
    /// `openat(2)` relative to this directory descriptor. Always adds O_CLOEXEC.
    public func openAt(_ name: String, flags: Int32, mode: mode_t = 0) throws(Errno) -> FileDescriptor {
        let fd = try withPathBytes(name) { name in valueOrErrno { Glibc.openat(rawValue, name, flags | O_CLOEXEC, mode) } }.get()
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
        try withPathBytes(name) { name in withPathBytes(newName) { newName in nothingOrErrno { Glibc.renameat(rawValue, name, target.rawValue, newName) } } }.get()
    }

    /// `renameat2(2)` with RENAME_NOREPLACE: fails with EEXIST rather than replace `newName`.
    public func renameNoReplace(_ name: String, to newName: String, in target: FileDescriptor) throws(Errno) {
        try withPathBytes(name) { name in withPathBytes(newName) { newName in nothingOrErrno { ampfix_renameat_noreplace(rawValue, name, target.rawValue, newName) } } }.get()
    }

    /// `readlinkat(2)` of a name in this directory.
    public func readLink(_ name: String) throws(Errno) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try withPathBytes(name) { name in valueOrErrno { Glibc.readlinkat(rawValue, name, &buffer, buffer.count - 1) } }.get()
        return PathBytes.escaped(buffer[..<count].map { UInt8(bitPattern: $0) })
    }

    /// `mkdirat(2)`.
    public func makeDirectory(_ name: String, mode: UInt32) throws(Errno) {
        try withPathBytes(name) { name in nothingOrErrno { Glibc.mkdirat(rawValue, name, mode_t(mode)) } }.get()
    }

    /// `unlinkat(2)` of an empty directory.
    public func removeDirectory(_ name: String) throws(Errno) {
        try withPathBytes(name) { name in nothingOrErrno { Glibc.unlinkat(rawValue, name, AT_REMOVEDIR) } }.get()
    }

    /// `unlinkat(2)` of a file (not a directory).
    public func unlink(_ name: String) throws(Errno) {
        try withPathBytes(name) { name in nothingOrErrno { Glibc.unlinkat(rawValue, name, 0) } }.get()
    }

    /// `fstatat(2)` of a name in this directory, never following a final symbolic link.
    public func statNoFollow(_ name: String) throws(Errno) -> Stat {
        var info = Glibc.stat()
        try withPathBytes(name) { name in nothingOrErrno { Glibc.fstatat(rawValue, name, &info, AT_SYMLINK_NOFOLLOW) } }.get()
        return Stat(rawValue: info)
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
    /// Reads through a duplicate so that this descriptor stays open. A name that is not valid
    /// UTF-8 comes back escaped (`PathBytes`) with `utf8` false; every call here opens it by
    /// that escaped name.
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
                    if let valid = String(validatingCString: raw), !valid.contains("\\") { return (valid, true) }
                    let bytes = UnsafeRawBufferPointer(start: raw, count: strlen(raw)).map { $0 }
                    return (PathBytes.escaped(bytes), String(validating: bytes, as: UTF8.self) != nil)
                }
            }
            if name == "." || name == ".." { continue }
            entries.append((name, entry.pointee.d_type, valid))
        }
        return entries.sorted { $0.0 < $1.0 }
    }
}
