extension ChangeKind {
    public static let loadKernelModule = ChangeKind("load-kernel-module")
}

/// Load a kernel module and its dependencies through libkmod, as modprobe does. Not undone: a
/// module the connector uses is not unloaded by undo, that would stop its monitoring.
public struct LoadKernelModuleChange: HostChange {
    public static let kind = ChangeKind.loadKernelModule
    public static let journalName = "loadKernelModule"

    public var name: String
    public var kernel: String

    public var target: String { "kernel module \(name)" }
    public var beforeDescription: String { "not loaded" }
    public var afterDescription: String { "loaded" }
    public var summary: String { "load kernel module \(name) and its dependencies for \(kernel) (libkmod, as modprobe \(name))" }
}

extension Change {
    public static func loadKernelModule(name: String, kernel: String) -> Change { Change(LoadKernelModuleChange(name: name, kernel: kernel)) }
}
