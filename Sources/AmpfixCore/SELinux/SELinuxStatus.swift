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
    public var source: Message

    public init(mode: SELinuxMode, configuredMode: SELinuxMode?, policyType: String?, source: Message) {
        self.mode = mode
        self.configuredMode = configuredMode
        self.policyType = policyType
        self.source = source
    }
}
