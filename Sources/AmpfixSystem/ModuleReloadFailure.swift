import AmpfixCore
import Glibc

/// A new kernel module build that did not load, and what became of the old one: the cause of
/// the `HostError` a reload throws (`HostError.Cause.moduleReload`).
public struct ModuleReloadFailure: Equatable, Sendable, CustomStringConvertible, MessageConvertible {
    public var name: String
    public var file: String
    public var errno: Int32
    /// The kernel's log lines written while it tried (/dev/kmsg).
    public var kernelSaid: [String]
    public var fallback: String
    /// Why the kept build could not be loaded back, or nil when it was.
    public var restored: String?
    public var loadedNow: String?

    public init(name: String, file: String, errno: Int32, kernelSaid: [String], fallback: String, restored: String?, loadedNow: String?) {
        self.name = name
        self.file = file
        self.errno = errno
        self.kernelSaid = kernelSaid
        self.fallback = fallback
        self.restored = restored
        self.loadedNow = loadedNow
    }

    public var description: String { message.description }

    public var message: Message {
        let system = String(cString: strerror(errno))
        var parts: [Message] = [.msg("cannot load the new \(name) build (srcversion \(file)): \(system) (errno \(errno))")]
        if !kernelSaid.isEmpty { parts.append(.msg("the kernel said: \(kernelSaid.joined(separator: " | "))")) }
        if let restored {
            parts.append(.msg("the previous build could not be loaded back from \(fallback): \(restored); \(name) is not loaded now: run modprobe \(name) or restart the connector"))
        } else if let loadedNow {
            parts.append(.msg("the previous build was loaded back from \(fallback) (srcversion \(loadedNow) loaded)"))
        } else {
            parts.append(.msg("the previous build was loaded back from \(fallback)"))
        }
        return .joined(parts, separator: "; ")
    }
}
