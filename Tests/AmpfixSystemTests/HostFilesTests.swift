import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

@Suite struct HostFilesTests {
    /// A name outside /proc and /sys that leads into a kernel file system is not read: a link in
    /// a root to /proc/kmsg would take messages from the host's log (reads of it consume them).
    /// The throwaway root gets a procfs of its own, unmounted at the end.
    @Test(.enabled(if: Privileges.isRoot, "skipped: mounting a procfs in a throwaway root needs root"))
    func aLinkIntoAKernelFileSystemIsNotRead() throws {
        let root = TempRoot("kernel-link")
        try root.makeDirectory("proc")
        try root.makeDirectory("boot")
        #expect(mount("proc", root.at("proc"), "proc", 0, nil) == 0)
        defer { umount(root.at("proc")) }
        root.symlink("boot/config", to: "/proc/self/status")
        let facts = try RootedFileSystem(root: root.path)
        do {
            _ = try facts.readFile("/boot/config")
            Issue.record("a link into procfs was read")
        } catch {
            #expect("\(error)".contains("kernel file (procfs)"), "\(error)")
        }
        #expect(try facts.readFile("/proc/self/status") != nil, "kernel files by their own names are read")
    }

    /// Free space is asked of directories (/opt/cisco/amp, /opt): before, only a regular file
    /// could be measured, so fault 7's and preflight's disk check never had a figure on a real root.
    @Test func freeSpaceIsMeasuredOnDirectoriesAndFiles() throws {
        let root = TempRoot()
        try root.makeDirectory("opt/cisco/amp")
        try root.write("opt/file", "x")
        let facts = HostFiles(fs: try RootedFileSystem(root: root.path))
        var expected = statvfs()
        #expect(statvfs(root.path, &expected) == 0)
        let free = try #require(facts.availableBytes(at: "/opt/cisco/amp"))
        #expect(abs(free - Int(expected.f_bavail) * Int(expected.f_frsize)) < 64 << 20, "the filesystem's own figure")
        #expect(facts.availableBytes(at: "/opt/file") != nil)
        #expect(facts.availableBytes(at: "/opt/missing") == nil)
    }

    @Test func walkReportsModesAndDoesNotEnterLinks() throws {
        let root = TempRoot()
        try root.makeDirectory("opt/cisco/amp/var", mode: 0o775)
        try root.makeDirectory("outside/deep")
        root.symlink("opt/cisco/amp/out", to: "../../../outside")
        let tree = try HostFiles(fs: RootedFileSystem(root: root.path)).directoryTree(at: "/opt/cisco")
        #expect(tree.resolved == "/opt/cisco")
        #expect(tree.directories.map(\.path) == ["/opt/cisco", "/opt/cisco/amp", "/opt/cisco/amp/var"])
        #expect(tree.directories.last?.attributes.mode == 0o775)
        #expect(tree.symlinks == ["/opt/cisco/amp/out"])
        #expect(tree.directoryLinks.map(\.path) == ["/opt/cisco/amp/out"])
        #expect(tree.directoryLinks.first?.target.path == "/outside")
    }

    @Test func linksToFilesAndDanglingLinksAreNotDirectoryLinks() throws {
        let root = TempRoot()
        try root.makeDirectory("opt/cisco/amp")
        try root.write("etc/shadow", "root:*:::::::\n")
        root.symlink("opt/cisco/amp/file", to: "../../../etc/shadow")
        root.symlink("opt/cisco/amp/gone", to: "../../../nowhere")
        let tree = try HostFiles(fs: RootedFileSystem(root: root.path)).directoryTree(at: "/opt/cisco")
        #expect(tree.symlinks.sorted() == ["/opt/cisco/amp/file", "/opt/cisco/amp/gone"])
        #expect(tree.directoryLinks.isEmpty)
    }

    @Test func aMissingTreeIsNotAnError() throws {
        let root = TempRoot()
        let tree = try HostFiles(fs: RootedFileSystem(root: root.path)).directoryTree(at: "/opt/cisco")
        #expect(tree.resolved == nil && tree.directories.isEmpty)
    }

    @Test func aHostFileLargerThanTheLimitIsAnErrorThatSaysSo() throws {
        let root = TempRoot("limit")
        try root.makeDirectory("conf")
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: RootedFileSystem.readLimit + 1)
        #expect(FileManager.default.createFile(atPath: root.at("conf/big"), contents: Data(big)))
        try root.write("conf/small", "root:x:0:0::/root:/bin/sh\n")
        let facts = HostFiles(fs: try RootedFileSystem(root: root.path))
        let error = #expect(throws: HostError.self) { try facts.readBytes("/conf/big") }
        #expect(error.map { "\($0)" }?.contains("\(root.at("conf/big")): it is larger than 16 MiB") == true, "\(String(describing: error))")
        #expect(try facts.readText("/conf/small") == "root:x:0:0::/root:/bin/sh\n")
    }
}
