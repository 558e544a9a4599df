import AmpfixCore
import AmpfixKmod
import AmpfixSystem
import AmpfixTestSupport
import Testing

/// libkmod against depmod-indexed fixture roots.
@Suite struct KmodModulesTests {
    static let kernel = "6.1.0-ampfix-test"

    @Test func modulesAreFoundThroughTheIndexWithTheirInfo() throws {
        let root = TempRoot("kmod-root")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path)
        try KernelModuleFixture.install("ampnetworkflow", kernel: Self.kernel, into: root.path, signed: true)
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))

        let fsm = try #require(try modules.module("ampfsm", kernel: Self.kernel))
        #expect(fsm.path == "/lib/modules/\(Self.kernel)/extra/ampfsm.ko")
        #expect(!fsm.signed)
        #expect(fsm.vermagic == "\(Self.kernel) SMP mod_unload ")
        #expect(try modules.module("ampnetworkflow", kernel: Self.kernel)?.signed == true)
        #expect(try modules.module("no_such_module", kernel: Self.kernel) == nil)
        #expect(modules.loadState("ampfsm") == .unknown("no kernel runs the tree under --root \(root.path)"))
    }

    @Test func aDryRunProbeResolvesWithoutLoadingAndRealLoadsAreRefusedUnderRoot() throws {
        let root = TempRoot("kmod-probe")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path)
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        try modules.probe("ampfsm", kernel: Self.kernel, dryRun: true)
        #expect(throws: KmodError.self) { try modules.probe("missing_module", kernel: Self.kernel, dryRun: true) }
        #expect(throws: KmodError.self) { try modules.probe("ampfsm", kernel: Self.kernel, dryRun: false) }
        #expect(modules.precondition(of: .loadKernelModule(name: "ampfsm", kernel: Self.kernel)) == "modules are loaded only on the live host")
    }

    @Test func aKernelWithoutAnIndexFindsNothing() throws {
        let root = TempRoot("kmod-empty")
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        #expect(try modules.module("ampfsm", kernel: Self.kernel) == nil)
    }
}

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
        #expect(finding.evidence.contains("Secure Boot refuses unsigned modules, so ampfsm cannot load"))
        var signed = Self.unsigned
        signed.signed = true
        #expect(Self.fault(["ampfsm": signed]).diagnose(Self.host(efi)).repairs.count == 1)
        let off = ["/sys/firmware/efi": "", SecureBoot.variable: "\u{6}\u{0}\u{0}\u{0}\u{0}"]
        #expect(Self.fault(["ampfsm": Self.unsigned]).diagnose(Self.host(off)).evidence.contains("UEFI Secure Boot is disabled"))
    }

    @Test func aMissingModuleOrConnectorIsExplained() {
        let missing = Self.fault([:]).diagnose(Self.host())
        #expect(missing.status == .present && missing.repairs.isEmpty)
        #expect(missing.evidence.contains("ampfsm is not in the module index of 6.1.0-18-amd64 (/lib/modules/6.1.0-18-amd64/modules.dep)"))
        var noConnector = Self.host()
        noConnector.files.removeValue(forKey: "/opt/cisco")
        #expect(Self.fault([:]).diagnose(noConnector).status == .notApplicable)
    }
}
