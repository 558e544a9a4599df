import AmpfixCore
import AmpfixKmod
import AmpfixSystem
import AmpfixTestSupport
import CLinux
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
        guard case .unknown(let why) = modules.loadState("ampfsm") else { Issue.record("not unknown"); return }
        #expect(why == "no kernel runs the tree under --root \(root.path)")
    }

    @Test func aDryRunProbeResolvesWithoutLoadingAndRealLoadsAreRefusedUnderRoot() throws {
        let root = TempRoot("kmod-probe")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path)
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        try modules.probe("ampfsm", kernel: Self.kernel, dryRun: true)
        #expect(throws: HostError(.msg("load"), "missing_module", .notInModuleIndex(kernel: Self.kernel))) {
            try modules.probe("missing_module", kernel: Self.kernel, dryRun: true)
        }
        #expect(throws: HostError(.msg("load"), "ampfsm under --root \(root.path)", .modulesOnlyOnLiveHost)) {
            try modules.probe("ampfsm", kernel: Self.kernel, dryRun: false)
        }
        #expect(KmodChanges(modules).precondition(of: .loadKernelModule(name: "ampfsm", kernel: Self.kernel)) == "modules are loaded only on the live host")
    }

    @Test func itAppliesModuleLoadsOnlyAndSaysSoForAnythingElse() throws {
        let root = TempRoot("kmod-kinds")
        let changes = KmodChanges(KmodModules(fs: try RootedFileSystem(root: root.path)))
        #expect(changes.kinds == [.loadKernelModule, .reloadKernelModule, .unloadKernelModule])
        #expect(throws: HostError(.msg("inspect"), "unit cisco-amp", .wrongAdapter(applies: "kernel modules"))) { try changes.state(of: .restartService(unit: "cisco-amp")) }
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
        let error = #expect(throws: HostError.self) { try KmodModules(fs: try RootedFileSystem(root: inner.path)).module("ampfsm", kernel: Self.kernel) }
        #expect(error?.refusal == .leadsOutOfRoot(root: inner.path) && error?.object == "/" + file)
        #expect(throws: HostError(.msg("open the module index of"), "'../../x'", .notAKernelRelease)) { try modules.probe("ampfsm", kernel: "../../x", dryRun: true) }
    }

    @Test func aKernelWithoutAnIndexFindsNothing() throws {
        let root = TempRoot("kmod-empty")
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        #expect(try modules.module("ampfsm", kernel: Self.kernel) == nil)
    }

    static let src = "C1A2B3C4D5E6F7A8B9C0D1E"

    @Test func aCopyOfEachLoadedBuildIsKeptOnceAndPrivately() throws {
        let root = TempRoot("kmod-keep")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path, srcversion: Self.src)
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        let copy = try #require(try modules.keepCopy("ampfsm", kernel: Self.kernel))
        #expect(copy == "/var/lib/ampfix/modules/ampfsm-\(Self.src).ko")
        let file = root.at("lib/modules/\(Self.kernel)/extra/ampfsm.ko")
        #expect(FileManager.default.contents(atPath: root.at(copy)) == FileManager.default.contents(atPath: file))
        #expect(root.attributes(copy)?.mode == 0o600)
        #expect(root.attributes("var/lib/ampfix/modules")?.mode == 0o700)
        #expect(try modules.srcversion(ofFile: copy, kernel: Self.kernel) == Self.src, "libkmod reads the copy's modinfo")

        // A second call finds the copy and writes nothing.
        let inode = try FileManager.default.attributesOfItem(atPath: root.at(copy))[.systemFileNumber] as? Int
        #expect(try modules.keepCopy("ampfsm", kernel: Self.kernel) == copy)
        #expect(try FileManager.default.attributesOfItem(atPath: root.at(copy))[.systemFileNumber] as? Int == inode)

        // A build without a srcversion cannot be told stale, so no copy is kept of it.
        try KernelModuleFixture.install("ampnetworkflow", kernel: Self.kernel, into: root.path)
        #expect(try modules.keepCopy("ampnetworkflow", kernel: Self.kernel) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.at("var/lib/ampfix/modules")) == ["ampfsm-\(Self.src).ko"])
    }

    @Test(.enabled(if: Privileges.isRoot, "setting security.selinux needs root"))
    func aKeptCopyCarriesTheModuleFilesSELinuxLabel() throws {
        let root = TempRoot("kmod-keep-label")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path, srcversion: Self.src)
        let module = root.at("lib/modules/\(Self.kernel)/extra/ampfsm.ko")
        let label = "system_u:object_r:modules_object_t:s0\0"
        #expect(setxattr(module, "security.selinux", label, label.utf8.count, 0) == 0, "security.selinux cannot be set here")
        func labelOf(_ path: String) -> String? {
            var buffer = [CChar](repeating: 0, count: 256)
            let size = getxattr(path, "security.selinux", &buffer, buffer.count)
            return size < 0 ? nil : String(decoding: buffer[..<size].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        let copy = try #require(try modules.keepCopy("ampfsm", kernel: Self.kernel))
        #expect(labelOf(root.at(copy)) == label, "a copy labelled as ampfix's state could not be loaded back under SELinux")
        // A relabel gave it its directory's label: the next use labels it as a module again.
        let state = "system_u:object_r:var_lib_t:s0\0"
        _ = setxattr(root.at(copy), "security.selinux", state, state.utf8.count, 0)
        #expect(try modules.keepCopy("ampfsm", kernel: Self.kernel) == copy)
        #expect(labelOf(root.at(copy)) == label)
    }

    @Test func aKeptDirectoryLinkedOutOfTheRootStaysInside() throws {
        let outside = TempRoot("kmod-keep-outside")
        let root = TempRoot("kmod-keep-linked")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path, srcversion: Self.src)
        try root.makeDirectory("var/lib/ampfix")
        root.symlink("var/lib/ampfix/modules", to: outside.path)
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        // Inside the root the link's target (ROOT/<outside's path>) does not exist: an error, and
        // nothing is written where the link points on the host.
        let error = #expect(throws: HostError.self) { try modules.keepCopy("ampfsm", kernel: Self.kernel) }
        #expect(error?.errno == .noSuchFileOrDirectory, "the link's target, looked up inside the root")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "the copy was written outside the root")
    }

    @Test func aReloadIsPlannedButNeverMadeUnderRoot() throws {
        let root = TempRoot("kmod-reload")
        try KernelModuleFixture.install("ampfsm", kernel: Self.kernel, into: root.path, srcversion: Self.src)
        try root.write("sys/module/ampfsm/srcversion", "0F0E0D0C0B0A09080706050\n")
        let modules = KmodModules(fs: try RootedFileSystem(root: root.path))
        let reload = Change.reloadKernelModule(name: "ampfsm", kernel: Self.kernel, loaded: "0F0E0D0C0B0A09080706050", file: Self.src,
                                               fallback: "/var/lib/ampfix/modules/ampfsm-0F0E0D0C0B0A09080706050.ko")
        let changes = KmodChanges(modules)
        #expect(changes.precondition(of: reload) == "modules are loaded only on the live host")
        #expect(try changes.state(of: reload).otherText == "no kernel runs the tree under --root \(root.path)")
        #expect(throws: HostError(.msg("load"), "kernel module ampfsm under --root \(root.path)", .modulesOnlyOnLiveHost)) { try changes.apply(reload) }
        #expect(!FileManager.default.fileExists(atPath: root.at("var/lib/ampfix/modules")), "nothing kept for a reload that cannot run")
        #expect(reload.inverse == nil, "undo does not load the stale build again")
        #expect(reload.kind == .reloadKernelModule)
    }

    @Test func kernelLogRecordsAreReadToTheirText() {
        func record(_ text: String) -> [UInt8] { Array(text.utf8) }
        #expect(KernelMessages.message(of: record("3,1234,5678901,-;ampfsm: init failed\n SUBSYSTEM=module\n")) == "ampfsm: init failed")
        #expect(KernelMessages.message(of: record("6,1,2,c,more;a;b\n")) == "a;b")
        #expect(KernelMessages.message(of: record("no separator\n")) == nil)
        #expect(KernelMessages.message(of: record("6,1,2,-;\n")) == nil)
    }
}
