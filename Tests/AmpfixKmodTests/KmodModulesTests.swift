import AmpfixCore
import AmpfixKmod
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// libkmod against depmod-indexed fixture roots.
@Suite struct KmodModulesTests {
    static let kernel = "6.1.0-ampfix-test"

    @Test func modulesAreFoundThroughTheIndexWithTheirInfo() throws {
        let root = TempRoot("kmod-root")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path, srcversion: "C1A2B3C4D5E6F7A8B9C0D1E")
        try KernelModuleFixture.install("ampnetworkflow", kernel: Self.kernel, into: root.path, signed: true)
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))

        let fsm = try #require(try modules.module("ampfsm", kernel: Self.kernel))
        #expect(fsm.path == "/lib/modules/\(Self.kernel)/extra/ampfsm.ko")
        #expect(!fsm.signed)
        #expect(fsm.vermagic == "\(Self.kernel) SMP mod_unload ")
        #expect(fsm.srcversion == "C1A2B3C4D5E6F7A8B9C0D1E", "libkmod's modinfo srcversion, for the stale-build check")
        #expect(try modules.module("ampnetworkflow", kernel: Self.kernel)?.srcversion == nil)
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

    @Test func itAppliesModuleLoadsOnlyAndSaysSoForAnythingElse() throws {
        let root = TempRoot("kmod-kinds")
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        #expect(modules.kinds == [.loadKernelModule])
        #expect(throws: KmodError.self) { try modules.state(of: .restartService(unit: "cisco-amp")) }
    }

    @Test func aModuleDirectoryLinkedOutOfTheRootIsNotRead() throws {
        let outside = TempRoot("kmod-outside")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: outside.path)
        let root = TempRoot("kmod-linked")
        try root.makeDirectory("lib/modules")
        // Absolute: inside the root it means ROOT/<that path>, which does not exist.
        root.symlink("lib/modules/\(Self.kernel)", to: outside.at("lib/modules/\(Self.kernel)"))
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        #expect(try modules.module("ampfsm", kernel: Self.kernel) == nil, "the index outside the root was read")

        // A module file inside the index that links out of the root is refused, not read.
        let inner = TempRoot("kmod-inner-link")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: inner.path)
        let file = "lib/modules/\(Self.kernel)/extra/ampfsm.ko"
        try FileManager.default.removeItem(atPath: inner.at(file))
        inner.symlink(file, to: "../../../../../../../../../../" + outside.at(file))
        #expect(throws: KmodError.self) { try KmodModules(fs: try RootedFileSystem(root: inner.path)).module("ampfsm", kernel: Self.kernel) }
        #expect(throws: KmodError.self) { try modules.probe("ampfsm", kernel: "../../x", dryRun: true) }
    }

    @Test func aKernelWithoutAnIndexFindsNothing() throws {
        let root = TempRoot("kmod-empty")
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        #expect(try modules.module("ampfsm", kernel: Self.kernel) == nil)
    }
}
