public enum SELinuxMode: String, Codable, Sendable {
    case enforcing, permissive, disabled
}

/// SELinux on the host: from the kernel when live, from `<root>/etc/selinux/config` under --root.
public struct SELinuxStatus: Sendable, Equatable {
    /// The mode in force (under --root: the configured one).
    public var mode: SELinuxMode
    /// SELINUX= in /etc/selinux/config, when readable.
    public var configuredMode: SELinuxMode?
    /// The policy type, which names the module store (SELINUXTYPE=).
    public var policyType: String?
    /// Where `mode` was read: "the kernel" or a config path.
    public var source: String

    public init(mode: SELinuxMode, configuredMode: SELinuxMode?, policyType: String?, source: String) {
        self.mode = mode
        self.configuredMode = configuredMode
        self.policyType = policyType
        self.source = source
    }
}

/// `/etc/selinux/config`: SELINUX= and SELINUXTYPE=, as libselinux reads them (the last
/// assignment wins; quotes and surrounding blanks are dropped; an unknown mode reads as none).
public struct SELinuxConfig: Sendable, Equatable {
    public var mode: SELinuxMode?
    public var type: String?

    public init(text: String) {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { String($0).trimming(" \t\r\"") }
            guard parts.count == 2, !parts[0].hasPrefix("#") else { continue }
            if parts[0] == "SELINUX" { mode = SELinuxMode(rawValue: parts[1].lowercased()) }
            if parts[0] == "SELINUXTYPE" { type = parts[1] }
        }
    }
}

/// The name of a policy type (SELINUXTYPE=), which names a directory under /etc/selinux and
/// /var/lib/selinux: a plain name, never a path.
public enum PolicyTypeName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.count <= 64
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
    }
}

/// A module in the store, at its highest (active) priority.
public struct InstalledModule: Sendable, Equatable {
    public var name: String
    public var priority: UInt16
    public var enabled: Bool
    public var languageExtension: String
    /// The module as it was installed (libsemanage's extract, not the CIL it was converted to).
    public var content: FileContent

    public init(name: String, priority: UInt16, enabled: Bool, languageExtension: String, content: FileContent) {
        self.name = name
        self.priority = priority
        self.enabled = enabled
        self.languageExtension = languageExtension
        self.content = content
    }
}

/// A module's state at one priority, as the journal records it. `content` nil means absent.
public struct PolicyModuleState: Codable, Sendable, Equatable, CustomStringConvertible {
    public var priority: UInt16
    public var content: FileContent?
    public var languageExtension: String
    public var enabled: Bool

    public init(priority: UInt16, content: FileContent?, languageExtension: String, enabled: Bool) {
        self.priority = priority
        self.content = content
        self.languageExtension = languageExtension
        self.enabled = enabled
    }

    public var description: String {
        guard let content else { return "absent at priority \(priority)" }
        return "\(content.bytes.count)-byte .\(languageExtension) at priority \(priority), \(enabled ? "enabled" : "disabled")"
    }
}

/// Whether a policy grants a permission set, and why not.
public enum AccessCheck: Sendable, Equatable {
    case granted([String])
    case denied(missing: [String])
    /// The source type does not exist in this policy: any rule about it is inert here.
    case typeUndefined(String)
    case unavailable(String)
}

/// SELinux facts: libselinux for the kernel, libsemanage for the module store, libsepol for a
/// policy file under --root.
public protocol SELinuxFacts {
    func status() throws -> SELinuxStatus
    /// The module at its highest priority, or nil when it is not installed.
    func activeModule(_ name: String, store: String) throws -> InstalledModule?
    /// Asks the loaded policy (live, cheap) or the store's built policy file (--root: loading it
    /// costs tens of milliseconds, so only when `thorough`) whether `sourceType` may use
    /// `permissions` of `targetClass` on itself.
    func checkAccess(sourceType: String, targetClass: String, permissions: [String], store: String, thorough: Bool) -> AccessCheck
    /// Whether the policy built for the kernel (`/etc/selinux/STORE/policy/policy.NN`) is the one
    /// the module store built (`active/policy.kern`): false after a commit cut off between the
    /// two; nil when it cannot be told (either file missing).
    func builtPolicyMatchesStore(_ store: String) throws -> Bool?
}

extension SELinuxFacts {
    public func builtPolicyMatchesStore(_ store: String) throws -> Bool? { nil }
}

/// The module file ampfix installs (`--policy-module FILE`, or its data directory).
public struct ShippedPolicyModule: Sendable, Equatable {
    public var name: String
    public var path: String
    public var content: FileContent
    public var languageExtension: String

    public init(name: String, path: String, content: FileContent, languageExtension: String) {
        self.name = name
        self.path = path
        self.content = content
        self.languageExtension = languageExtension
    }
}

/// `/etc/selinux/semanage.conf` of an image, as libsemanage would read it under `--root`. The
/// file can name programs libsemanage runs (`[verify kernel]`, `[setfiles]`, `[load_policy]` …
/// sections with a `path`), a compiler directory it runs converters from, and another root or
/// store root: from an image nobody vouches for, each would run a program of the image's
/// choosing as root on this host or lead libsemanage out of the root. Only settings that shape
/// the policy it builds are accepted.
public enum ImageSemanageConfig {
    /// Keys that change only how the policy is built and stored, never where or with what.
    public static let acceptedKeys: Set<String> = [
        "module-store", "policy-version", "target-platform", "expand-check", "file-mode", "save-previous", "save-linked",
        "disable-genhomedircon", "handle-unknown", "bzip-blocksize", "bzip-small", "remove-hll", "optimize-policy",
        "ignore-module-cache", "multiple-decls", "usepasswd", "ignoredirs",
    ]

    /// The lines ampfix refuses, each with its 1-based number and why; empty when the file may
    /// be handed to libsemanage.
    public static func refusals(_ text: String) -> [String] {
        var refused: [String] = []
        var inSection = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimming(" \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            if line.hasPrefix("[") {
                inSection = line.lowercased() != "[end]"
                if inSection {
                    refused.append("line \(number): \(line): a section naming a program libsemanage would run on this host")
                }
                continue
            }
            if inSection { continue }  // the section's own path and args: refused with it
            let parts = line.split(separator: "=", maxSplits: 1).map { String($0).trimming(" \t\"") }
            let key = parts[0].lowercased()
            if !acceptedKeys.contains(key) {
                let why: String
                switch key {
                case "root", "store-root": why = "it would move the store away from the root ampfix checked"
                case "compiler-directory": why = "libsemanage would run its converters from there"
                case "path", "args": why = "a program for libsemanage to run"
                default: why = "not a setting ampfix knows to be harmless"
                }
                refused.append("line \(number): \(key): \(why)")
            } else if key == "module-store", parts.count == 2, parts[1] != "direct" {
                refused.append("line \(number): module-store = \(parts[1]): only a direct store is read under --root")
            }
        }
        return refused
    }
}
