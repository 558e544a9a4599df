import CLinux
import Glibc
import SystemPackage

// Mode, owner, sync, lock and contents of the file a descriptor is open on.
extension FileDescriptor {
    /// `fchmod(2)`: the mode of the file this descriptor is open on; no path, so no symlink.
    public func changeMode(_ mode: UInt32) throws(Errno) {
        try nothingOrErrno("fchmod") { Glibc.fchmod(rawValue, mode_t(mode)) }.get()
    }

    /// `fchown(2)`; pass `UInt32.max` (-1) to leave the uid or gid as it is.
    public func changeOwner(uid: UInt32, gid: UInt32) throws(Errno) {
        try nothingOrErrno("fchown") { Glibc.fchown(rawValue, uid, gid) }.get()
    }

    /// `fsync(2)`.
    public func sync() throws(Errno) {
        try nothingOrErrno("fsync") { Glibc.fsync(rawValue) }.get()
    }

    /// `flock(2)` with LOCK_NB: true when the lock was taken, false when someone else holds it.
    public func tryLockExclusive() throws(Errno) -> Bool {
        switch nothingOrErrno("flock", { ampfix_flock(rawValue, LOCK_EX | LOCK_NB) }) {
        case .success: return true
        case .failure(let error) where error == .wouldBlock: return false
        case .failure(let error): throw error
        }
    }

    /// `fstatvfs(3)`: whether the file system is mounted read-only.
    public func isOnReadOnlyFileSystem() throws(Errno) -> Bool {
        var info = statvfs()
        try nothingOrErrno("fstatvfs") { Glibc.fstatvfs(rawValue, &info) }.get()
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
}
