import Glibc
import SystemPackage

// Reading a directory through its descriptor.
extension FileDescriptor {
    /// Names in the directory this descriptor is open on, with their `d_type`, sorted by name.
    /// Reads through a duplicate so that this descriptor stays open. A name that is not valid
    /// UTF-8 comes back escaped (`PathBytes`) with `utf8` false; every call here opens it by
    /// that escaped name.
    public func directoryEntries() throws(Errno) -> [(name: String, type: UInt8, utf8: Bool)] {
        let copy = try valueOrErrno("fcntl") { Glibc.fcntl(rawValue, F_DUPFD_CLOEXEC, 0) }.get()
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
