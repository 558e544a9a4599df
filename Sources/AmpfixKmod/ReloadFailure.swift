import Glibc

/// A new build that did not load, and what became of the old one.
public struct ReloadFailure: Error, CustomStringConvertible {
    public var name: String
    public var file: String
    public var errno: Int32
    /// The kernel's log lines written while it tried (/dev/kmsg).
    public var kernelSaid: [String]
    public var fallback: String
    /// Why the kept build could not be loaded back, or nil when it was.
    public var restored: String?
    public var loadedNow: String?

    public var description: String {
        var text = "cannot load the new \(name) build (srcversion \(file)): \(String(cString: strerror(errno))) (errno \(errno))"
        if !kernelSaid.isEmpty { text += "; the kernel said: \(kernelSaid.joined(separator: " | "))" }
        if let restored {
            text += "; the previous build could not be loaded back from \(fallback): \(restored); \(name) is not loaded now: run modprobe \(name) or restart the connector"
        } else {
            text += "; the previous build was loaded back from \(fallback)" + (loadedNow.map { " (srcversion \($0) loaded)" } ?? "")
        }
        return text
    }
}
