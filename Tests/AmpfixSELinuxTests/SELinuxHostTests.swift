import AmpfixCore
import AmpfixSELinux
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// The SELinux adapter against real module stores under temp roots (libsemanage, libsepol);
/// fault 19 through the binary is in ampfixTests. libsemanage keeps process-wide state: one
/// test at a time.
@Suite(.serialized) struct SELinuxHostTests {
    /// libsemanage keeps the store paths of the first root a process opens, so every in-process
    /// test shares this one store; each leaves it as it found it.
    nonisolated(unsafe) static let shared: Result<TempRoot, FixtureError> = {
        let root = TempRoot.forTheProcess("selinux-adapter")
        do {
            let result = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/selinux-store.sh", root.path, "tiny"])
            guard result.status == 0 else { return .failure(FixtureError("selinux-store.sh failed: \(result.stdout)\(result.stderr)")) }
        } catch {
            return .failure(FixtureError("selinux-store.sh: \(error)"))
        }
        return .success(root)
    }()

    @Test func theConfiguredStateIsReadAndAModuleChangeGoesThereAndBack() throws {
        let root = try Self.shared.get()
        let selinux = SELinuxHost(fs: try RootedFileSystem(root: root.path))
        let status = try selinux.status()
        #expect(status.mode == .enforcing)
        #expect(status.policyType == "tiny")
        #expect(try selinux.activeModule("cisco-secure-bpf", store: "tiny") == nil)

        let module = try ShippedModuleFile.load(PackageLayout.policyModule, name: "cisco-secure-bpf").get()
        let absent = PolicyModuleState(priority: 200, content: nil, languageExtension: "cil", enabled: true)
        let installed = PolicyModuleState(priority: 200, content: module.content, languageExtension: "cil", enabled: true)
        let change = Change.policyModule(store: "tiny", name: "cisco-secure-bpf", before: absent, after: installed)

        let changes = PolicyModuleChanges(selinux)
        #expect(changes.kinds == [.policyModule])
        #expect(try changes.state(of: change) == .before)
        try changes.apply(change)
        #expect(try changes.state(of: change) == .after)
        let active = try #require(try selinux.activeModule("cisco-secure-bpf", store: "tiny"))
        #expect(active.priority == 200 && active.enabled && active.content == module.content)

        let undo = try #require(change.inverse)
        try changes.apply(undo)
        #expect(try changes.state(of: change) == .before)
        #expect(throws: HostError(.msg("inspect"), "unit cisco-amp", .wrongAdapter(applies: "SELinux policy modules"))) {
            try changes.state(of: .restartService(unit: "cisco-amp"))
        }
    }

    @Test func aSecondRootInOneProcessIsRefusedNotConfused() throws {
        let first = try Self.shared.get()
        _ = try SELinuxHost(fs: try RootedFileSystem(root: first.path)).activeModule("cisco-secure-bpf", store: "tiny")
        let other = TempRoot("selinux-other")
        #expect(throws: HostError(.msg("open the module store under"), other.path, .oneRootPerProcess(first: first.path))) {
            try SELinuxHost(fs: try RootedFileSystem(root: other.path)).activeModule("cisco-secure-bpf", store: "tiny")
        }
    }

    @Test func aModuleFileIsCheckedBeforeAnyStoreSeesIt() throws {
        let root = TempRoot("selinux-files")
        let cases: [(String, String, String)] = [
            ("broken.cil", "(allow a b (c (d)\n", "is not a valid CIL module: "),
            ("notes.cil", "hello\n", "is not a CIL module: its first statement does not start with '('"),
            ("foreign.pp", "\u{7f}ELF", "is not a policy package: wrong magic number"),
            ("module.txt", "(allow a b (c (d)))\n", "a policy module must be a .cil or .pp file"),
        ]
        for (name, text, message) in cases {
            try root.write(name, text)
            guard case .failure(let error) = ShippedModuleFile.load(root.at(name), name: "m") else {
                Issue.record("\(name) was accepted")
                continue
            }
            #expect(error.description.contains(message), "\(name): \(error)")
        }
        guard case .failure(let missing) = ShippedModuleFile.load(root.at("absent.cil"), name: "m") else {
            Issue.record("a missing file was accepted")
            return
        }
        #expect(missing.description == "cannot read the module \(root.at("absent.cil")): No such file or directory")
        #expect(try ShippedModuleFile.load(PackageLayout.policyModule, name: "cisco-secure-bpf").get().languageExtension == "cil")
    }
}
