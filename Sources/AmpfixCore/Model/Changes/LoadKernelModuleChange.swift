extension ChangeKind {
    public static let loadKernelModule = ChangeKind("load-kernel-module")
}

/// Load a kernel module and its dependencies through libkmod, as modprobe does. Not undone: a
/// module the connector uses is not unloaded by undo, that would stop its monitoring; except a
/// build the same run made with DKMS (`built`), which undo removes, so it unloads it first.
public struct LoadKernelModuleChange: HostChange {
    public static let kind = ChangeKind.loadKernelModule
    public static let journalName = "loadKernelModule"

    public var name: String
    public var kernel: String
    /// Built by an earlier change of the same run (DKMS): not in the module index until then.
    public var built: Bool?

    public var target: String { "kernel module \(name)" }
    public var beforeDescription: String { "not loaded" }
    public var afterDescription: String { "loaded" }
    public var summary: Message { .msg("load kernel module \(name) and its dependencies for \(kernel) (libkmod, as modprobe \(name))") }

    public func inverse(made: [String]?) -> Change? {
        built == true ? Change(UnloadKernelModuleChange(name: name)) : nil
    }
}

extension ChangeKind {
    public static let unloadKernelModule = ChangeKind("unload-kernel-module")
}

/// Unload a module ampfix loaded (libkmod, as modprobe -r without its dependencies): undo of
/// a DKMS build's load.
public struct UnloadKernelModuleChange: HostChange {
    public static let kind = ChangeKind.unloadKernelModule
    public static let journalName = "unloadKernelModule"

    public var name: String

    public init(name: String) { self.name = name }

    public var target: String { "kernel module \(name)" }
    public var beforeDescription: String { "loaded" }
    public var afterDescription: String { "not loaded" }
    public var summary: Message { .msg("unload kernel module \(name) (libkmod, as rmmod \(name))") }
}

extension Change {
    public static func loadKernelModule(name: String, kernel: String, built: Bool? = nil) -> Change { Change(LoadKernelModuleChange(name: name,
            kernel: kernel, built: built)) }
}
