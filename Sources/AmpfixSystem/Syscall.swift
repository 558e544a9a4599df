import CLinux
import Glibc
import SystemPackage

// The calls swift-system does not wrap, in its three levels: the raw call, a `Result<T, Errno>`
// function that retries on EINTR, and a public `throws(Errno)` method (FileDescriptor+*.swift).

/// A failure to return instead of making a call, for tests (`Syscall.$failure.withValue`): the
/// call's name ("fsync", "renameat") comes in, an errno or nil comes out. Task-local, so that a
/// test sees it in its own task only, never another test running beside it.
public enum Syscall {
    @TaskLocal public static var failure: (@Sendable (String) -> Errno?)?
}

func valueOrErrno<I: FixedWidthInteger>(_ name: String, retryOnInterrupt: Bool = true, _ call: () -> I) -> Result<I, Errno> {
    if let failure = Syscall.failure, let error = failure(name) { return .failure(error) }
    while true {
        let value = call()
        if value != -1 { return .success(value) }
        let error = Errno(rawValue: errno)
        if retryOnInterrupt && error == .interrupted { continue }
        return .failure(error)
    }
}

func nothingOrErrno<I: FixedWidthInteger>(_ name: String, retryOnInterrupt: Bool = true, _ call: () -> I) -> Result<Void, Errno> {
    valueOrErrno(name, retryOnInterrupt: retryOnInterrupt, call).map { _ in () }
}

/// O_PATH, which Glibc's Swift module hides behind _GNU_SOURCE.
public let O_PATH: Int32 = ampfix_O_PATH
