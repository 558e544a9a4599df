import CLinux
import SystemPackage

// Extended attributes (SELinux labels) of the file a descriptor is open on.
extension FileDescriptor {
    /// `flistxattr(2)` + `fgetxattr(2)`: every extended attribute (SELinux label included).
    public func extendedAttributes() throws(Errno) -> [(name: String, value: [UInt8])] {
        let size = try valueOrErrno("flistxattr") { CLinux.flistxattr(rawValue, nil, 0) }.get()
        if size == 0 { return [] }
        var names = [CChar](repeating: 0, count: size)
        let used = try valueOrErrno("flistxattr") { CLinux.flistxattr(rawValue, &names, names.count) }.get()
        var result: [(String, [UInt8])] = []
        for raw in names[..<used].split(separator: 0) {
            let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let length = try valueOrErrno("fgetxattr") { CLinux.fgetxattr(rawValue, name, nil, 0) }.get()
            var value = [UInt8](repeating: 0, count: length)
            let got = try valueOrErrno("fgetxattr") { CLinux.fgetxattr(rawValue, name, &value, value.count) }.get()
            result.append((name, Array(value[..<got])))
        }
        return result
    }

    /// `fsetxattr(2)`.
    public func setExtendedAttribute(_ name: String, _ value: [UInt8]) throws(Errno) {
        try nothingOrErrno("fsetxattr") { CLinux.fsetxattr(rawValue, name, value, value.count, 0) }.get()
    }
}
