import AmpfixCore
import AmpfixTestSupport
import Testing

/// Faults 8 and 9 on in-memory facts; libkmod itself is tested in AmpfixKmodTests.
@Suite struct KernelModuleFaultTests {
    static func host(_ extra: [String: String] = [:]) -> MemoryFacts {
        var host = MemoryFacts(files: ["/etc/os-release": "ID=debian\n", "/opt/cisco": ""].merging(extra) { $1 })
        host.kernel = "6.1.0-18-amd64"
        return host
    }

    static let unsigned = KernelModuleInfo(name: "ampfsm", path: "/lib/modules/6.1.0-18-amd64/extra/ampfsm.ko", signed: false, vermagic: nil)

    static func fault(_ modules: [String: KernelModuleInfo], _ states: [String: ModuleLoadState] = [:]) -> KernelModuleFault {
        .filesystemMonitor(options: RepairOptions(), modules: MemoryKernelModules(modules: modules, states: states))
    }

    @Test func aModuleThatIsNotLoadedIsLoaded() {
        let finding = Self.fault(["ampfsm": Self.unsigned]).diagnose(Self.host())
        #expect(finding.status == .present)
        #expect(finding.repairs == [.loadKernelModule(name: "ampfsm", kernel: "6.1.0-18-amd64")])
        #expect(Self.fault(["ampfsm": Self.unsigned], ["ampfsm": .loaded]).diagnose(Self.host()).status == .ok)
    }

    @Test func secureBootWithAnUnsignedModuleIsExplainedNotAttempted() {
        let efi = ["/sys/firmware/efi": "", SecureBoot.variable: "\u{6}\u{0}\u{0}\u{0}\u{1}"]
        let finding = Self.fault(["ampfsm": Self.unsigned]).diagnose(Self.host(efi))
        #expect(finding.status == .present)
        #expect(finding.repairs.isEmpty)
        #expect(finding.evidenceText.contains("Secure Boot refuses unsigned modules, so ampfsm cannot load"))
        var signed = Self.unsigned
        signed.signed = true
        #expect(Self.fault(["ampfsm": signed]).diagnose(Self.host(efi)).repairs.count == 1)
        let off = ["/sys/firmware/efi": "", SecureBoot.variable: "\u{6}\u{0}\u{0}\u{0}\u{0}"]
        #expect(Self.fault(["ampfsm": Self.unsigned]).diagnose(Self.host(off)).evidenceText.contains("UEFI Secure Boot is disabled"))
    }

    @Test func theEfivarIsReadAsBytes() {
        // Attributes 0x80000007 (little endian): not UTF-8, so a text read would shift the value byte.
        var host = Self.host(["/sys/firmware/efi": ""])
        host.binaryFiles[SecureBoot.variable] = [0x07, 0x00, 0x00, 0x80, 0x01]
        #expect(SecureBoot.read(host) == .enabled)
        host.binaryFiles[SecureBoot.variable] = [0x07, 0x00, 0x00, 0x80, 0x00]
        #expect(SecureBoot.read(host) == .disabled)
        host.binaryFiles[SecureBoot.variable] = [0x07, 0x00]
        #expect(SecureBoot.read(host) == .unknown("\(SecureBoot.variable) has 2 bytes, expected 5"))
    }

    @Test func aModuleStateThatCannotBeReadIsUnknownAndPlansNothing() {
        let finding = Self.fault(["ampfsm": Self.unsigned], ["ampfsm": .lookupFailed("cannot look up ampfsm: Input/output error")]).diagnose(Self.host())
        #expect(finding.status == .unknown)
        #expect(finding.repairs.isEmpty)
        #expect(finding.evidenceText.contains("cannot tell whether ampfsm is loaded: cannot look up ampfsm: Input/output error"))
    }

    @Test func aMissingModuleOrConnectorIsExplained() {
        let missing = Self.fault([:]).diagnose(Self.host())
        #expect(missing.status == .present && missing.repairs.isEmpty)
        #expect(missing.evidenceText.contains("ampfsm is not in the module index of 6.1.0-18-amd64 (/lib/modules/6.1.0-18-amd64/modules.dep)"))
        var noConnector = Self.host()
        noConnector.files.removeValue(forKey: "/opt/cisco")
        #expect(Self.fault([:]).diagnose(noConnector).status == .notApplicable)
    }
}

@Suite struct StaleKernelModuleTests {
    static let built = KernelModuleInfo(name: "ampfsm", path: "/lib/modules/6.1.0-18-amd64/extra/ampfsm.ko", signed: false, vermagic: nil,
                                        srcversion: "C1A2B3C4D5E6F7A8B9C0D1E")

    static func diagnose(loaded: String?, kernelOption: String? = nil, kept: [String] = []) -> Finding {
        var files: [String: String] = [:]
        for path in kept { files[path] = "" }
        if let loaded { files["/sys/module/ampfsm/srcversion"] = loaded + "\n" }
        let fault = KernelModuleFault.filesystemMonitor(options: RepairOptions(kernelRelease: kernelOption),
                                                        modules: MemoryKernelModules(modules: ["ampfsm": built], states: ["ampfsm": .loaded]))
        return fault.diagnose(KernelModuleFaultTests.host(files))
    }

    @Test func aLoadedBuildOtherThanTheFileIsStale() {
        let finding = Self.diagnose(loaded: "0F0E0D0C0B0A09080706050")
        #expect(finding.status == .present)
        #expect(finding.evidence.contains { $0.contains("ampfsm is loaded but stale: the loaded build's srcversion is 0F0E0D0C0B0A09080706050, the file's is C1A2B3C4D5E6F7A8B9C0D1E") })
        #expect(finding.repairs.isEmpty, "ampfix does not unload a module it could not load back")
        #expect(finding.evidence.last?.hasPrefix("ampfix holds no copy of the loaded build") == true)
        #expect(finding.manualSteps.first?.contains("modprobe -r ampfsm && modprobe ampfsm") == true)
    }

    @Test func aStaleBuildWhoseCopyAmpfixKeptIsReloaded() {
        let kept = "/var/lib/ampfix/modules/ampfsm-0F0E0D0C0B0A09080706050.ko.xz"
        let finding = Self.diagnose(loaded: "0F0E0D0C0B0A09080706050", kept: [kept, "/var/lib/ampfix/modules/ampfsm-C1A2B3C4D5E6F7A8B9C0D1E.ko"])
        #expect(finding.status == .present)
        #expect(finding.repairs == [.reloadKernelModule(name: "ampfsm", kernel: "6.1.0-18-amd64", loaded: "0F0E0D0C0B0A09080706050",
                                                        file: "C1A2B3C4D5E6F7A8B9C0D1E", fallback: kept)])
        #expect(finding.evidenceText.last == "ampfix kept a copy of the loaded build when it loaded it: \(kept)")
        // A copy of another build is no fallback.
        #expect(Self.diagnose(loaded: "0F0E0D0C0B0A09080706050", kept: ["/var/lib/ampfix/modules/ampfsm-C1A2B3C4D5E6F7A8B9C0D1E.ko"]).repairs.isEmpty)
    }

    @Test func keptCopiesAreNamedOnlyByPlainNamesAndDigests() {
        #expect(KeptModuleBuilds.path(name: "ampfsm", srcversion: "C1A2B3C4D5E6F7A8B9C0D1E", modulePath: "/x/ampfsm.ko.zst")
                == "/var/lib/ampfix/modules/ampfsm-C1A2B3C4D5E6F7A8B9C0D1E.ko.zst")
        #expect(KeptModuleBuilds.path(name: "ampfsm", srcversion: "C1A2B3C4D5E6F7A8B9C0D1E", modulePath: "/x/ampfsm.ko")
                == "/var/lib/ampfix/modules/ampfsm-C1A2B3C4D5E6F7A8B9C0D1E.ko")
        // What /sys/module or a module's .modinfo says is never trusted to be a path.
        #expect(KeptModuleBuilds.path(name: "ampfsm", srcversion: "../../../etc/x", modulePath: "/x/ampfsm.ko") == nil)
        #expect(KeptModuleBuilds.path(name: "../ampfsm", srcversion: "C1A2", modulePath: "/x/ampfsm.ko") == nil)
        #expect(KeptModuleBuilds.path(name: "ampfsm", srcversion: "", modulePath: "/x/ampfsm.ko") == nil)
        // A stale srcversion that is no digest plans nothing.
        #expect(Self.diagnose(loaded: "../../x", kept: ["/var/lib/ampfix/modules/ampfsm-../../x.ko"]).repairs.isEmpty)
    }

    @Test func theSameBuildOrNoWayToTellIsOk() {
        #expect(Self.diagnose(loaded: "C1A2B3C4D5E6F7A8B9C0D1E").status == .ok)
        #expect(Self.diagnose(loaded: nil).status == .ok, "no /sys/module/ampfsm/srcversion: nothing to compare")
        // Another kernel named with --kernel: what is loaded belongs to the running one.
        #expect(Self.diagnose(loaded: "0F0E0D0C0B0A09080706050", kernelOption: "6.1.0-18-amd64").status == .ok)
    }
}
