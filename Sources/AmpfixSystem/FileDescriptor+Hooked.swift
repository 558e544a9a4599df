import SystemPackage

// swift-system's own calls (open, read, write, lseek, ftruncate, dup, fstat) through the one
// failure point, `Syscall.failure`, as the calls it does not wrap already go (Syscall.swift): a
// test can make any call ampfix makes fail, a write included. ampfix calls swift-system only
// through these (SyscallSeamTests reads the sources to keep it so).

extension Syscall {
    /// The test's failure for the call `name`, thrown as the call would have failed.
    static func check(_ name: String) throws(Errno) {
        if let failure, let error = failure(name) { throw error }
    }
}

extension FileDescriptor {
    public static func openChecked(_ path: FilePath, _ mode: AccessMode, options: OpenOptions = [],
                                   permissions: FilePermissions? = nil) throws -> FileDescriptor {
        try Syscall.check("open")
        return try open(path, mode, options: options, permissions: permissions)
    }

    public func readChecked(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try Syscall.check("read")
        return try read(into: buffer)
    }

    public func readChecked(fromAbsoluteOffset offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try Syscall.check("pread")
        return try read(fromAbsoluteOffset: offset, into: buffer)
    }

    @discardableResult
    public func writeAllChecked(_ bytes: some Sequence<UInt8>) throws -> Int {
        try Syscall.check("write")
        return try writeAll(bytes)
    }

    @discardableResult
    public func writeAllChecked(toAbsoluteOffset offset: Int64, _ bytes: some Sequence<UInt8>) throws -> Int {
        try Syscall.check("pwrite")
        return try writeAll(toAbsoluteOffset: offset, bytes)
    }

    public func seekChecked(offset: Int64, from whence: SeekOrigin) throws -> Int64 {
        try Syscall.check("lseek")
        return try seek(offset: offset, from: whence)
    }

    public func resizeChecked(to size: Int64) throws {
        try Syscall.check("ftruncate")
        try resize(to: size)
    }

    public func duplicateChecked() throws -> FileDescriptor {
        try Syscall.check("dup")
        return try duplicate()
    }

    public func statChecked() throws -> Stat {
        try Syscall.check("fstat")
        return try stat()
    }
}
