import CLinux
import Glibc
import SystemPackage

// Calls on a name relative to a directory descriptor (the *at(2) family): how ampfix reaches
// every file inside the root without following a link it did not check.
extension FileDescriptor {
    /// `openat(2)` relative to this directory descriptor. Always adds O_CLOEXEC.
    public func openAt(_ name: String, flags: Int32, mode: mode_t = 0) throws(Errno) -> FileDescriptor {
        let fd = try withPathBytes(name) { name in valueOrErrno("openat") { Glibc.openat(rawValue, name, flags | O_CLOEXEC, mode) } }.get()
        return FileDescriptor(rawValue: fd)
    }

    /// `renameat(2)` from a name in this directory to a name in `target`.
    public func rename(_ name: String, to newName: String, in target: FileDescriptor) throws(Errno) {
        try withPathBytes(name) { name in withPathBytes(newName) { newName in nothingOrErrno("renameat") { Glibc.renameat(rawValue, name, target.rawValue,
                newName) } } }.get()
    }

    /// `renameat2(2)` with RENAME_NOREPLACE: fails with EEXIST rather than replace `newName`.
    public func renameNoReplace(_ name: String, to newName: String, in target: FileDescriptor) throws(Errno) {
        try withPathBytes(name) { name in withPathBytes(newName) { newName in nothingOrErrno("renameat2") { ampfix_renameat_noreplace(rawValue, name,
                target.rawValue, newName) } } }.get()
    }

    /// `readlinkat(2)` of a name in this directory.
    public func readLink(_ name: String) throws(Errno) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try withPathBytes(name) { name in valueOrErrno("readlinkat") { Glibc.readlinkat(rawValue, name, &buffer, buffer.count - 1) } }.get()
        return PathBytes.escaped(buffer[..<count].map { UInt8(bitPattern: $0) })
    }

    /// `mkdirat(2)`.
    public func makeDirectory(_ name: String, mode: UInt32) throws(Errno) {
        try withPathBytes(name) { name in nothingOrErrno("mkdirat") { Glibc.mkdirat(rawValue, name, mode_t(mode)) } }.get()
    }

    /// `unlinkat(2)` of an empty directory.
    public func removeDirectory(_ name: String) throws(Errno) {
        try withPathBytes(name) { name in nothingOrErrno("unlinkat") { Glibc.unlinkat(rawValue, name, AT_REMOVEDIR) } }.get()
    }

    /// `unlinkat(2)` of a file (not a directory).
    public func unlink(_ name: String) throws(Errno) {
        try withPathBytes(name) { name in nothingOrErrno("unlinkat") { Glibc.unlinkat(rawValue, name, 0) } }.get()
    }

    /// `fstatat(2)` of a name in this directory, never following a final symbolic link.
    public func statNoFollow(_ name: String) throws(Errno) -> Stat {
        var info = Glibc.stat()
        try withPathBytes(name) { name in nothingOrErrno("fstatat") { Glibc.fstatat(rawValue, name, &info, AT_SYMLINK_NOFOLLOW) } }.get()
        return Stat(rawValue: info)
    }
}
