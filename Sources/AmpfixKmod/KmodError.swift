import Glibc
import SystemPackage

/// A libkmod call that failed (libkmod returns -errno), or a refusal ampfix makes before it
/// hands libkmod anything: what was attempted, on what, and why.
public struct KmodError: Error, CustomStringConvertible, Equatable {
    public var operation: String
    public var object: String
    public var cause: Cause

    public enum Cause: Equatable, Sendable, CustomStringConvertible {
        /// libkmod's or the kernel's own answer.
        case errno(Errno)
        /// Modules are loaded only on the live host, never under --root.
        case notOnTheLiveHost
        /// A change of another kind was handed to the module adapter.
        case notAModuleChange
        /// The running kernel's depmod index has no such module.
        case notInTheIndex(kernel: String)
        /// A path libkmod would open leads out of the root.
        case leadsOutOfTheRoot(String)
        /// Not a plain kernel release (it becomes a path under /lib/modules).
        case notAKernelRelease
        /// Not a module name (it becomes a path under /sys/module).
        case notAModuleName
        /// kmod_new gave no context (libkmod says no more than that).
        case noContext
        /// The module file is not there.
        case fileMissing
        /// Whether the module is loaded could not be read.
        case stateUnreadable(String)

        public var description: String {
            switch self {
            case .errno(let errno): return errno.description
            case .notOnTheLiveHost: return "modules are loaded only on the live host"
            case .notAModuleChange: return "not a module change"
            case .notInTheIndex(let kernel): return "not in the module index of \(kernel)"
            case .leadsOutOfTheRoot(let root): return "it leads outside the root \(root)"
            case .notAKernelRelease: return "a kernel release is a plain name like 6.1.0-18-amd64"
            case .notAModuleName: return "not a module name"
            case .noContext: return "libkmod could not create a context for it"
            case .fileMissing: return "no such file"
            case .stateUnreadable(let why): return why
            }
        }
    }

    public init(operation: String, object: String, _ cause: Cause) {
        self.operation = operation
        self.object = object
        self.cause = cause
    }

    /// libkmod's negative return value.
    public init(operation: String, object: String, returned result: Int32) {
        self.init(operation: operation, object: object, .errno(Errno(rawValue: -result)))
    }

    public var description: String { "cannot \(operation) \(object): \(cause)" }
}
