import AmpfixCore

/// SELinux disabled: what a fault's test uses when it has nothing to do with SELinux.
public struct NoSELinux: SELinuxFacts {
    public init() {}
    public func status() throws -> SELinuxStatus { SELinuxStatus(mode: .disabled, configuredMode: nil, policyType: nil, source: .verbatim("test stand-in")) }
    public func activeModule(_ name: String, store: String) throws -> InstalledModule? { nil }
    public func checkAccess(sourceType: String, targetClass: String, permissions: [String], store: String, thorough: Bool) -> AccessCheck {
        .unavailable(.verbatim("test stand-in"))
    }
}

extension FaultSources {
    /// Nothing besides the host's files: SELinux disabled, no module to install, no package
    /// database, no kernel modules, no kernel support table, no connector. A new fault's test
    /// starts from it and sets the sources its check reads.
    public static var none: FaultSources {
        FaultSources(selinux: NoSELinux(), shippedModule: .failure(.init("none")), packages: .unavailable(.verbatim("none (test stand-in)")),
                     kernelModules: MemoryKernelModules(modules: [:], states: [:]), kernelSupport: .failure(.init(description: "none")))
    }
}
