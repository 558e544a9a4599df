import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// A tool handed an untrusted root runs where the kernel keeps it from the root's programs and
/// from the host (DESIGN.md rule 8). Each test runs the host's own sh or ls confined to a
/// throwaway root, and the same unconfined where that shows the test can fail.
@Suite(.enabled(if: Privileges.isRoot, "skipped: mount namespaces need root"))
struct ConfinementTests {
    /// A copy of the host's `true` in the root: a real program, where a root would plant one.
    static func rootWithAProgram() throws -> (TempRoot, RootedFileSystem) {
        let root = TempRoot("confined")
        try root.makeDirectory("usr/sbin")
        let program = try #require(FileManager.default.contents(atPath: "/bin/true"))
        #expect(FileManager.default.createFile(atPath: root.at("usr/sbin/nscd"), contents: program, attributes: [.posixPermissions: 0o755]))
        return (root, try RootedFileSystem(root: root.path))
    }

    @Test func nothingOfTheRootRuns() throws {
        let (root, fs) = try Self.rootWithAProgram()
        let script = "\(root.at("usr/sbin/nscd")); echo status $?"
        let confined = try Programs.run("sh", ["-c", script], root: fs)
        #expect(confined.output.contains("Permission denied") && confined.output.hasSuffix("status 126\n"), "\(confined.output)")
        // The same, on the live host's terms: it runs.
        let live = try Programs.run("sh", ["-c", script], root: RootedFileSystem(root: "/"))
        #expect(live.output == "status 0\n", "\(live.output)")
    }

    /// The root is what the tool works on: it is written through, at its own path.
    @Test func theRootIsWritableAtItsOwnPath() throws {
        let (root, fs) = try Self.rootWithAProgram()
        let result = try Programs.run("sh", ["-c", "echo made > \(root.at("etc-made")) && cat \(root.at("etc-made"))"], root: fs)
        #expect(result.status == 0 && result.output == "made\n", "\(result.output)")
        #expect(FileManager.default.contents(atPath: root.at("etc-made")) == Data("made\n".utf8))
    }

    /// A device node planted in the root opens nothing (nodev).
    @Test func aDeviceInTheRootIsNoDevice() throws {
        let (root, fs) = try Self.rootWithAProgram()
        // 1:3, the null device.
        #expect(mknod(root.at("null"), S_IFCHR | 0o666, 0x103) == 0)
        let result = try Programs.run("sh", ["-c", "echo x > \(root.at("null")); echo status $?"], root: fs)
        #expect(result.output.contains("Permission denied") && result.output.hasSuffix("status 2\n"), "\(result.output)")
        let mounts = try Programs.run("sh", ["-c", "grep -F ' \(root.path) ' /proc/self/mountinfo || echo no-proc"], root: fs)
        // No /proc in the confined tree: the flags are shown by what fails above and below.
        #expect(mounts.output.contains("no-proc"), "\(mounts.output)")
    }

    /// Only the host's program trees and the root's path are there: no /home, /root, /var,
    /// /proc or /dev, and nothing can be made beside them (a directory outside the root is
    /// not there to write to).
    @Test func theHostsOtherTreesAreAbsent() throws {
        let (root, fs) = try Self.rootWithAProgram()
        let outside = TempRoot("outside")
        let listing = try Programs.run("ls", ["-A", "/"], root: fs)
        let names = Set(listing.output.split(separator: "\n").map(String.init))
        let allowed = Set(Confinement.hostTrees.compactMap { $0.split(separator: "/").first.map(String.init) })
        let rootTop = String(root.path.split(separator: "/")[0])
        #expect(names.subtracting(allowed.union([rootTop])).isEmpty, "\(names.sorted())")
        #expect(names.contains("usr"))
        for absent in ["home", "root", "var", "proc", "dev", "sys", "run"] { #expect(!names.contains(absent), "\(absent) in \(names.sorted())") }
        let write = try Programs.run("sh", ["-c", "echo x > \(outside.at("written")); echo status $?"], root: fs)
        #expect(write.output.hasSuffix("status 2\n") && write.output.contains("nonexistent"), "\(write.output)")
        #expect(access(outside.at("written"), F_OK) != 0)
        let hostList = try Programs.run("ls", ["-A", "/"])
        #expect(hostList.output.split(separator: "\n").contains("proc"), "the unconfined listing differs")
    }

    /// A root that was swapped for another directory between ampfix opening it and the tool's
    /// start is refused, not bound.
    @Test func theRootThatIsBoundIsTheOneOpened() throws {
        let (root, fs) = try Self.rootWithAProgram()
        let aside = root.path + "-aside"
        #expect(rename(root.path, aside) == 0)
        #expect(mkdir(root.path, 0o755) == 0)
        defer { rmdir(root.path); rename(aside, root.path) }
        let error = #expect(throws: HostError.self) { try Programs.run("true", [], root: fs) }
        #expect(error?.description.contains("bind the root at its own path") == true, "\(String(describing: error))")
    }

    /// `--root /.` (or any other name of the host's /) is the live host: before, it was
    /// confined as an image, and the confinement's last remount made the host's root file
    /// system read-only.
    @Test func theLiveHostIsNotConfinedUnderAnyName() throws {
        let link = TempRoot("link-to-root")
        link.symlink("root", to: "/")
        for name in ["/", "/.", "/tmp/..", "//", link.at("root")] {
            let fs = try RootedFileSystem(root: name)
            #expect(fs.root == "/", "\(name)")
            #expect(Confinement(fs) == nil, "\(name)")
        }
    }
}
