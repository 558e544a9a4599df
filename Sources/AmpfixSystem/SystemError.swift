import SystemPackage

/// A failed operation on the host: what was attempted, on which path, and why.
public struct SystemError: Error, CustomStringConvertible, Equatable {
    public var operation: String
    public var path: String
    public var reason: String
    public var errno: Errno?

    public init(_ operation: String, _ path: String, _ error: any Error) {
        self.operation = operation
        self.path = path
        if let errno = error as? Errno {
            self.reason = errno.description
            self.errno = errno
        } else if let inner = error as? SystemError {
            self.reason = inner.reason
            self.errno = inner.errno
        } else {
            self.reason = "\(error)"
            self.errno = nil
        }
    }

    public init(_ operation: String, _ path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
        self.errno = nil
    }

    /// "cannot open /tmp/root/opt/cisco/amp: Permission denied"
    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
