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

    public init(name: String, path: String, signed: Bool, vermagic: String?, srcversion: String? = nil) {
        self.name = name
        self.path = path
        self.signed = signed
        self.vermagic = vermagic
        self.srcversion = srcversion
    }
}

public enum ModuleLoadState: Sendable, Equatable {
    case loaded
    case builtin
    case notLoaded
    /// Not known: under --root no kernel runs the tree.
    case unknown(String)
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

public enum SecureBoot: Sendable, Equatable {
    case enabled, disabled
    /// No /sys/firmware/efi: a legacy (BIOS) boot, where Secure Boot does not exist.
    case legacy
    case unknown(String)

    public static let variable = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

    /// The efivar is 4 bytes of attributes, then 1 byte: 1 enabled, 0 disabled.
    public static func parse(_ bytes: [UInt8]) -> SecureBoot {
        guard bytes.count >= 5 else { return .unknown("\(variable) has \(bytes.count) bytes, expected 5") }
        return bytes[4] == 1 ? .enabled : .disabled
    }

    public static func read(_ host: any HostFacts) -> SecureBoot {
        guard host.exists("/sys/firmware/efi") else { return .legacy }
        do {
            guard let bytes = try host.readBytes(variable) else { return .unknown("\(variable) does not exist") }
            return parse(bytes)
        } catch {
            return .unknown("\(error)")
        }
    }
}

/// Copies of the module builds ampfix loads, kept so that a reload can load the previous build
/// back when the new one fails (the kernel never gives a loaded module's image back):
/// ROOT/var/lib/ampfix/modules/NAME-SRCVERSION.ko, with the file's compression suffix, mode 0600.
public enum KeptModuleBuilds {
    public static let directory = "/var/lib/ampfix/modules"
    /// Compression suffixes libkmod reads, after ".ko".
    public static let compressions = ["", ".xz", ".zst", ".gz"]

    /// A srcversion as the kernel and modinfo show it: hexadecimal digits (a digest). Anything
    /// else is never made into a path.
    public static func isValid(srcversion: String) -> Bool {
        (1...64).contains(srcversion.utf8.count) && srcversion.allSatisfy(\.isHexDigit)
    }

    /// A module name as the kernel allows it: letters, digits, '_' and '-'.
    public static func isValid(name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// Where the copy of `name`'s build `srcversion`, taken from `modulePath`, is kept.
    public static func path(name: String, srcversion: String, modulePath: String) -> String? {
        guard isValid(srcversion: srcversion), isValid(name: name) else { return nil }
        let compression = compressions.dropFirst().first { modulePath.hasSuffix(".ko" + $0) } ?? ""
        return "\(directory)/\(name)-\(srcversion).ko\(compression)"
    }

    /// The kept copy of `name`'s build `srcversion`, or nil when ampfix holds none.
    public static func find(_ host: any HostFacts, name: String, srcversion: String) -> String? {
        compressions.lazy.compactMap { path(name: name, srcversion: srcversion, modulePath: "x.ko" + $0) }.first(where: host.exists)
    }
}
