import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Testing

/// Where DKMS stands, read from its tree as dkms 3 lays it out (scripts/dkms-test.sh runs the
/// real dkms), and what the DKMS adapter refuses before it runs anything.
@Suite struct DKMSTests {
    static let release = "6.1.0-50-amd64"

    @Test func theTreeSaysAddedBuiltInstalled() throws {
        let root = TempRoot("dkms")
        let facts = try HostFiles(fs: RootedFileSystem(root: root.path))
        func state() -> DKMSState { DKMSState.read(facts, module: "ampfsm", version: "1.0.0", kernel: Self.release) }
        #expect(state() == DKMSState(added: false, built: false, installed: false))
        try root.write("usr/src/ampfsm-1.0.0/dkms.conf", DKMSConf.text(module: "ampfsm", version: "1.0.0"))
        try root.makeDirectory("var/lib/dkms/ampfsm/1.0.0/build")
        root.symlink("var/lib/dkms/ampfsm/1.0.0/source", to: "/usr/src/ampfsm-1.0.0")
        #expect(state() == DKMSState(added: true, built: false, installed: false))
        try root.write("var/lib/dkms/ampfsm/1.0.0/\(Self.release)/x86_64/module/ampfsm.ko", "")
        #expect(state() == DKMSState(added: true, built: true, installed: false))
        root.symlink("var/lib/dkms/ampfsm/kernel-\(Self.release)-x86_64", to: "1.0.0/\(Self.release)/x86_64")
        #expect(state() == DKMSState(added: true, built: true, installed: true))
        // Another version's install is not this one's.
        #expect(!DKMSState.read(facts, module: "ampfsm", version: "0.9", kernel: Self.release).installed)
        #expect(!DKMSState.read(facts, module: "ampfsm", version: "1.0.0", kernel: "6.1.0-51-amd64").installed)
    }

    @Test func buildsRunOnlyOnTheLiveHost() throws {
        let root = TempRoot("dkms")
        let changes = try DKMSChanges(fs: RootedFileSystem(root: root.path))
        let install = Change(DKMSInstallChange(module: "ampfsm", version: "1.0.0", kernel: Self.release, copyFrom: "/srv/ampfsm", writesConf: true, adds: true))
        #expect(changes.precondition(of: install) == "DKMS builds run only on the live host (they run the system's own compiler and make)")
        #expect(throws: HostError("run dkms for", install.target, .dkmsOnlyOnLiveHost)) { try changes.apply(install) }
        #expect(try changes.state(of: install) == .before)
        #expect(try changes.state(of: install.inverse!) == .after, "nothing added: nothing to remove")
    }
}
