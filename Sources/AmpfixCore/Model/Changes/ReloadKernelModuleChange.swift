extension ChangeKind {
    public static let reloadKernelModule = ChangeKind("reload-kernel-module")
}

/// Replace the loaded build of a module (srcversion `loaded`) with the one in the kernel's
/// index (srcversion `file`): unload, load through libkmod, verify. When the new build fails
/// to load, `fallback` (ampfix's kept copy of the loaded build) is loaded back. Not undone: an
/// upgraded build is not replaced by the stale one again.
public struct ReloadKernelModuleChange: HostChange {
    public static let kind = ChangeKind.reloadKernelModule
    public static let journalName = "reloadKernelModule"

    public var name: String
    public var kernel: String
    public var loaded: String
    public var file: String
    public var fallback: String

    public var target: String { "kernel module \(name)" }
    public var beforeDescription: String { "build \(loaded) loaded" }
    public var afterDescription: String { "build \(file) loaded" }
    public var summary: Message {
        .msg("reload kernel module \(name) for \(kernel): unload the loaded build (srcversion \(loaded)), load the file's (srcversion \(file)) through libkmod; if it fails, load \(fallback) back")
    }
}

extension Change {
    public static func reloadKernelModule(name: String, kernel: String, loaded: String, file: String,
                                          fallback: String) -> Change { Change(ReloadKernelModuleChange(name: name, kernel: kernel, loaded: loaded,
            file: file, fallback: fallback)) }
}
