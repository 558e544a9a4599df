import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import CLinux
import Foundation
import Glibc
import Testing

@Suite struct RootedFileSystemTests {
    @Test func dotDotCannotLeaveTheRoot() throws {
        let root = TempRoot()
        try root.makeDirectory("etc")
        let fs = try RootedFileSystem(root: root.path)
        #expect(throws: HostError.self) { try fs.resolve("/etc/../../outside") }
        do {
            _ = try fs.resolve("/../etc")
            Issue.record("a path above the root was resolved")
        } catch let error as HostError {
            #expect(error.refusal == .leavesRoot(root: root.path))
        }
        #expect(try fs.resolve("/etc/../etc") == "/etc")
    }

    @Test func aRelativeLinkThatClimbsOutIsRefused() throws {
        let root = TempRoot()
        try root.makeDirectory("opt")
        root.symlink("opt/cisco", to: "../../../../..")
        let fs = try RootedFileSystem(root: root.path)
        #expect(throws: HostError.self) { try fs.resolve("/opt/cisco/amp") }
    }

    @Test func anAbsoluteLinkResolvesInsideTheRoot() throws {
        let root = TempRoot()
        try root.makeDirectory("data/cisco")
        try root.makeDirectory("opt")
        root.symlink("opt/cisco", to: "/data/cisco")
        let fs = try RootedFileSystem(root: root.path)
        #expect(try fs.resolve("/opt/cisco") == "/data/cisco")
        #expect(try fs.resolve("/opt/missing/x") == nil)
        // With links refused, the same path is an error, not a redirect.
        #expect(throws: HostError.self) { try fs.open("/opt/cisco/.", flags: O_RDONLY, follow: .never) }
    }

    @Test func replaceKeepsModeOwnerAndAttributes() throws {
        let root = TempRoot()
        try root.write("etc/login.defs", "USERGROUPS_ENAB no\n", mode: 0o640)
        if Privileges.isRoot { chown(root.at("etc/login.defs"), 0, 42) }
        let hasXattr = setxattr(root.at("etc/login.defs"), "user.ampfix-test", "label", 5, 0) == 0
        let fs = try RootedFileSystem(root: root.path)
        // A path inside the throwaway root, not the host's.
        try fs.replaceFile(ScanUserFault.loginDefsPath, contents: Array("USERGROUPS_ENAB yes\n".utf8))

        #expect(try String(contentsOfFile: root.at("etc/login.defs"), encoding: .utf8) == "USERGROUPS_ENAB yes\n")
        let attributes = try #require(root.attributes("etc/login.defs"))
        #expect(attributes.mode == 0o640)
        if Privileges.isRoot { #expect(attributes.gid == 42) }
        if hasXattr {
            var value = [UInt8](repeating: 0, count: 16)
            let size = getxattr(root.at("etc/login.defs"), "user.ampfix-test", &value, value.count)
            #expect(size == 5 && Array(value[..<5]) == Array("label".utf8))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.at("etc")).filter { $0 != "login.defs" }
        #expect(leftovers.isEmpty)
    }

    /// An atomic replace that fails at any of its calls leaves the file as it was and no
    /// temporary file beside it (each call made to fail through `Syscall.failure`).
    @Test(arguments: ["openat", "fstat", "write", "fchown", "fchmod", "flistxattr", "fsync", "renameat"])
    func aReplaceThatFailsAnywhereLeavesTheFileAsItWas(call: String) throws {
        let root = TempRoot("replace-fails")
        try root.write("etc/login.defs", "USERGROUPS_ENAB no\n")
        let fs = try RootedFileSystem(root: root.path)
        let record = Recorder()
        Syscall.$failure.withValue({ name in
            record.add(name)
            return name == call ? .noSpace : nil
        }) {
            #expect(throws: HostError.self) { try fs.replaceFile("/etc/login.defs", contents: Array("USERGROUPS_ENAB yes\n".utf8)) }
        }
        #expect(record.names.contains(call), "the replace made a \(call) call to fail: \(record.names)")
        #expect(try String(contentsOfFile: root.at("etc/login.defs"), encoding: .utf8) == "USERGROUPS_ENAB no\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.at("etc")) == ["login.defs"], "no temporary file left")
        // Without the failure the same replace goes through: the test's failure was the cause.
        try fs.replaceFile("/etc/login.defs", contents: Array("USERGROUPS_ENAB yes\n".utf8))
        #expect(try String(contentsOfFile: root.at("etc/login.defs"), encoding: .utf8) == "USERGROUPS_ENAB yes\n")
    }

    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ name: String) { lock.withLock { list.append(name) } }
        var names: [String] { lock.withLock { list } }
    }

    @Test func replaceWithTheSameContentWritesNothing() throws {
        let root = TempRoot()
        try root.write("etc/hosts", "127.0.0.1 localhost\n")
        let before = TreeSnapshot.take(root.path)
        let fs = try RootedFileSystem(root: root.path)
        try fs.replaceFile("/etc/hosts", contents: Array("127.0.0.1 localhost\n".utf8))
        #expect(TreeSnapshot.take(root.path) == before)
    }

    /// A file ampfix replaces (login.defs, a kept module) is never written through a link, not
    /// even one that stays inside the root: it could be the root's passwd under another name. A
    /// hard link is replaced by name (rename), so the other name keeps its bytes.
    @Test func replaceRefusesALinkAndNeverWritesThroughAHardLink() throws {
        let root = TempRoot()
        // The link's target exists inside the root only: were it followed on the host, it
        // would lead nowhere, never to the host's own files.
        try root.write("srv/ampfix-test/passwd", "root:x:0:0::/root:/bin/sh\n")
        try root.makeDirectory("etc")
        root.symlink("etc/conf", to: "/srv/ampfix-test/passwd")
        #expect(root.isSymlink("etc/conf"))
        #expect(link(root.at("srv/ampfix-test/passwd"), root.at("etc/hard.conf")) == 0)
        let before = TreeSnapshot.take(root.path)
        let fs = try RootedFileSystem(root: root.path)
        do {
            try fs.replaceFile("/etc/conf", contents: Array("x\n".utf8))
            Issue.record("a link was replaced")
        } catch let error as HostError {
            #expect(error.object == root.at("etc/conf") && error.refusal == .wrongKind(.symbolicLink), "\(error)")
        }
        #expect(TreeSnapshot.take(root.path) == before)
        try fs.replaceFile("/etc/hard.conf", contents: Array("x\n".utf8))
        #expect(try String(contentsOfFile: root.at("srv/ampfix-test/passwd"), encoding: .utf8) == "root:x:0:0::/root:/bin/sh\n")
        #expect(try String(contentsOfFile: root.at("etc/hard.conf"), encoding: .utf8) == "x\n")
    }

    /// Opening for reading refuses what is not a regular file before opening it (a FIFO would
    /// block, a device could act), and a write refuses a file with other names.
    @Test func openRefusesFIFOsDevicesAndHardLinkedWrites() throws {
        let root = TempRoot()
        try root.write("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
        #expect(mkfifo(root.at("etc/fifo"), 0o644) == 0)
        #expect(link(root.at("etc/passwd"), root.at("etc/lock")) == 0)
        let fs = try RootedFileSystem(root: root.path)
        // Paths inside the throwaway root (the fs is rooted there), never the host's.
        let fifo = "etc/fifo"
        #expect(throws: HostError(.msg("open"), root.at(fifo), .wrongKind(.fifo))) { try fs.readFile("/" + fifo) }
        #expect(try fs.readFile("/etc/lock") != nil, "reading a hard-linked file is harmless")
        #expect(throws: HostError.self) { try fs.open("/etc/lock", flags: O_RDWR) }
    }

    @Test func aTreeIsRemovedWithoutEnteringItsLinks() throws {
        let root = TempRoot("remove-tree")
        try root.makeDirectory("victim")
        try root.write("victim/keep", "x")
        try root.makeDirectory("store/tmp/modules/200")
        try root.write("store/tmp/modules/200/cil", "(x)")
        root.symlink("store/tmp/link", to: "../../victim")
        let fs = try RootedFileSystem(root: root.path)
        try fs.removeTree("/store/tmp")
        #expect(!FileManager.default.fileExists(atPath: root.at("store/tmp")))
        #expect(FileManager.default.fileExists(atPath: root.at("store")))
        #expect(FileManager.default.fileExists(atPath: root.at("victim/keep")), "the link's target is untouched")
        try fs.removeTree("/store/tmp")  // gone already: not an error
    }
    /// Names are bytes: escaped where they are not UTF-8 (and a backslash), and back.
    @Test func pathBytesRoundTrip() {
        let cases: [([UInt8], String)] = [
            (Array("plain".utf8), "plain"),
            (Array("café".utf8), "café"),
            (Array("bad".utf8) + [0xff], "bad\\xff"),
            (Array("a\\b".utf8), "a\\x5cb"),
            ([0xc3], "\\xc3"),
            (Array("x".utf8) + [0xe2, 0x82] + Array("y".utf8), "x\\xe2\\x82y"),
        ]
        for (bytes, escaped) in cases {
            #expect(PathBytes.escaped(bytes) == escaped, "\(bytes)")
            #expect(PathBytes.bytes(escaped) == bytes, "\(escaped)")
        }
    }
}
