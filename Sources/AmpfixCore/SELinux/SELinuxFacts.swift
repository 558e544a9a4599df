/// Whether a policy grants a permission set, and why not.
public enum AccessCheck: Sendable, Equatable {
    case granted([String])
    case denied(missing: [String])
    /// The source type does not exist in this policy: any rule about it is inert here.
    case typeUndefined(String)
    case unavailable(Message)
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
