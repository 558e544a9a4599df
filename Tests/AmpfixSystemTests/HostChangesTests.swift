import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// Directory changes applied through descriptors inside the root (accounts are tested through
/// the binary with real useradd in ampfixTests).
@Suite struct HostChangesTests {
    @Test func changesGoThroughDescriptorsAndRefuseASwappedInLink() throws {
        let root = TempRoot()
        try root.makeDirectory("opt/cisco/amp", mode: 0o700)
        try root.makeDirectory("outside", mode: 0o700)
        let fs = try RootedFileSystem(root: root.path)
        let changes = HostChanges(fs: fs)
        let change = Change.directoryAttributes(
            path: "/opt/cisco/amp",
            before: DirectoryAttributes(mode: 0o700, uid: geteuid(), gid: getegid()),
            after: DirectoryAttributes(mode: 0o755, uid: geteuid(), gid: getegid()))
        #expect(try changes.state(of: change) == .before)
        #expect(changes.precondition(of: change) == nil)

        // Between plan and apply, the directory is replaced by a link to one outside the tree.
        try FileManager.default.removeItem(atPath: root.at("opt/cisco/amp"))
        root.symlink("opt/cisco/amp", to: "../../outside")
        #expect(throws: HostError.self) { try changes.apply(change) }
        #expect(root.attributes("outside")?.mode == 0o700)
        #expect(changes.precondition(of: change) != nil)
    }

    @Test func applyAndRevertRestoreExactModes() throws {
        let root = TempRoot()
        try root.makeDirectory("opt/cisco", mode: 0o2750)
        let changes = HostChanges(fs: try RootedFileSystem(root: root.path))
        let before = DirectoryAttributes(mode: 0o2750, uid: geteuid(), gid: getegid())
        let after = DirectoryAttributes(mode: 0o755, uid: geteuid(), gid: getegid())
        let change = Change.directoryAttributes(path: "/opt/cisco", before: before, after: after)
        try changes.apply(change)
        #expect(root.attributes("opt/cisco")?.mode == 0o755)
        try changes.apply(try #require(change.inverse))
        #expect(root.attributes("opt/cisco")?.mode == 0o2750)
    }
}
