import Glibc

/// A libkmod call that failed: libkmod returns -errno.
public struct KmodError: Error, CustomStringConvertible {
    public var operation: String
    public var object: String
    public var errno: Int32

    public var description: String { "cannot \(operation) \(object): \(String(cString: strerror(errno)))" }
}
