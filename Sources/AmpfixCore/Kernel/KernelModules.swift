/// A kernel module file found through the kernel's depmod index.
public struct KernelModuleInfo: Sendable, Equatable {
    public var name: String
    /// Its path inside the root.
    public var path: String
    /// Whether the module carries a signature (modinfo sig_id / signer).
    public var signed: Bool
    public var vermagic: String?
    /// modinfo srcversion: a digest of the module's sources, which the kernel shows for the
    /// loaded build in /sys/module/NAME/srcversion.
    public var srcversion: String?
    /// modinfo description: "Cisco AMP Filesystem Module", with " (user-built)" in a build made
    /// from the published source.
    public var description: String?

    public init(name: String, path: String, signed: Bool, vermagic: String?, srcversion: String? = nil, description: String? = nil) {
        self.name = name
        self.path = path
        self.signed = signed
        self.vermagic = vermagic
        self.srcversion = srcversion
        self.description = description
    }

    /// Built from the published source by a user (its description says so), not the connector's own.
    public var userBuilt: Bool { description?.contains("(user-built)") == true }
}

public enum ModuleLoadState: Sendable, Equatable {
    case loaded
    case builtin
    case notLoaded
    /// Not known: under --root no kernel runs the tree.
    case unknown(Message)
    /// The running kernel's module state could not be read (a libkmod error).
    case lookupFailed(String)
}

/// Kernel modules as faults 8 and 9 read them (libkmod): lookups in a root's
/// /lib/modules/RELEASE and the running kernel's state. Read-only: loading is a change, applied
/// by the adapter's `ChangeApplier` side.
public protocol KernelModules {
    func module(_ name: String, kernel: String) throws -> KernelModuleInfo?
    func loadState(_ name: String) -> ModuleLoadState
}
