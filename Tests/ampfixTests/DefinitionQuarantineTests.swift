import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// Fault 7's repair: broken ClamAV databases moved to the run's quarantine by rename, and moved
/// back by undo — through the binary, on databases built by scripts/definitions-fixture.sh.
@Suite struct DefinitionQuarantineTests {
    static let clamav = "opt/cisco/amp/var/clamav"
    static let broken = ["bytecode.cvd", "fields.cvd", "foreign.cvd", "gzip.cvd", "header.cvd", "tar.cvd", "truncated.cvd"]

    static func root(_ which: String = "all") throws -> TempRoot {
        let root = TempRoot("quarantine")
        let made = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/definitions-fixture.sh", root.at(clamav), which])
        try #require(made.status == 0, "\(made.stderr)")
        return root
    }

    /// Content and inode of each file in a directory.
    static func files(_ directory: String) throws -> [String: (bytes: Data, inode: UInt64)] {
        var result: [String: (Data, UInt64)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            var info = stat()
            try #require(lstat(directory + "/" + name, &info) == 0)
            result[name] = (try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)), UInt64(info.st_ino))
        }
        return result
    }

    static func repair(_ root: TempRoot) throws -> (CommandResult, Report) {
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", "7", "--json"])
        return (result, try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)))
    }

    @Test func onlyTheBrokenFilesAreMovedAndUndoPutsThemBackByteIdentical() throws {
        let root = try Self.root()
        let before = try Self.files(root.at(Self.clamav))
        #expect(before.count == Self.broken.count + 2)

        // The plan names the applying run's quarantine as RUN-ID: its own id would not be the
        // real run's (Ansible's check-mode diff showed another run's directory).
        let plan = try AmpfixBinary.run(["--root", root.path, "--fault", "7", "--dry-run", "--json"])
        let planned = try JSONDecoder().decode(Report.self, from: Data(plan.stdout.utf8)).faults.first?.actions ?? []
        #expect(!planned.isEmpty && planned.allSatisfy { $0.after.hasPrefix("at \(Quarantine.path)/\(Quarantine.plannedRun)/") }, "\(planned.map(\.after))")

        let (result, report) = try Self.repair(root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let fault = try #require(report.faults.first)
        #expect(fault.initialStatus == .present && fault.status == .ok)
        #expect(fault.actions.count == Self.broken.count && fault.actions.allSatisfy { $0.outcome == .applied })
        let run = try #require(report.run)
        let quarantine = root.at("var/lib/ampfix/quarantine/\(run)")
        let moved = try Self.files(quarantine)
        #expect(moved.keys.sorted() == Self.broken)
        #expect(try Self.files(root.at(Self.clamav)).keys.sorted() == ["daily.cld", "main.cvd"])
        for (name, file) in moved {
            // The same inode: renamed, not copied.
            #expect(file.inode == before[name]?.inode && file.bytes == before[name]?.bytes, "\(name)")
        }
        #expect(Self.mode(quarantine) == 0o700)
        // The journal holds paths and identities, not the files.
        let journal = try #require(report.journal)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int)
        #expect(size < 16_384, "journal is \(size) bytes")

        let undo = try AmpfixBinary.run(["--root", root.path, "undo", run])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        let after = try Self.files(root.at(Self.clamav))
        #expect(after.keys.sorted() == before.keys.sorted())
        for (name, file) in before {
            #expect(after[name]?.bytes == file.bytes && after[name]?.inode == file.inode, "\(name)")
        }
        #expect(try Self.files(quarantine).isEmpty)
        // After the undo the fault is back, as it was before the repair.
        #expect(try Self.repair(root).1.faults.first?.initialStatus == .present)
    }

    @Test func aSoundDirectoryIsLeftAlone() throws {
        let root = try Self.root("sound")
        let (result, report) = try Self.repair(root)
        #expect(result.status == 0 && report.faults.first?.status == .ok && report.run == nil, "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: root.at("var/lib/ampfix/quarantine")))
    }

    @Test func aDryRunMovesNothing() throws {
        let root = try Self.root()
        let before = try Self.files(root.at(Self.clamav)).keys.sorted()
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", "7", "--dry-run"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("planned: move /\(Self.clamav)/bytecode.cvd"), "\(result.stdout)")
        #expect(try Self.files(root.at(Self.clamav)).keys.sorted() == before)
        #expect(!FileManager.default.fileExists(atPath: root.at("var/lib/ampfix")))
    }

    /// 200 MB whose body does not match its header's MD5: moved by one rename; the journal stays
    /// a few hundred bytes.
    @Test func aLargeFileIsMovedNotCopied() throws {
        let root = try Self.root("sound")
        let path = root.at(Self.clamav + "/large.cvd")
        let header = "ClamAV-VDB:23 Nov 2026 10-00 +0000:27001:9000000:90:0123456789abcdef0123456789abcdef:sig:ampfix-fixture:1795428000"
        try #require(FileManager.default.createFile(atPath: path, contents: Data((header.padding(toLength: 512, withPad: " ", startingAt: 0)).utf8)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        let block = Data(repeating: 0x41, count: 1 << 20)
        for _ in 0..<200 { try handle.write(contentsOf: block) }
        try handle.close()
        var info = stat()
        try #require(lstat(path, &info) == 0)
        let (inode, size) = (UInt64(info.st_ino), Int(info.st_size))

        let (result, report) = try Self.repair(root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let run = try #require(report.run)
        var moved = stat()
        try #require(lstat(root.at("var/lib/ampfix/quarantine/\(run)/large.cvd"), &moved) == 0)
        #expect(UInt64(moved.st_ino) == inode && Int(moved.st_size) == size)
        let journal = try #require(report.journal)
        let journalSize = try #require(try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int)
        #expect(journalSize < 4096, "journal is \(journalSize) bytes for a \(size)-byte file")
    }

    /// A quarantine on another file system: the move is refused, never turned into a copy, and the
    /// file stays. Needs root and a private mount namespace (unshare -m) for the tmpfs.
    @Test(.enabled(if: Privileges.isRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
    func aMoveAcrossFileSystemsIsRefused() throws {
        let root = try Self.root("all")
        let quarantine = root.at("var/lib/ampfix/quarantine")
        try FileManager.default.createDirectory(atPath: quarantine, withIntermediateDirectories: true)
        let script = "mount -t tmpfs ampfix-test \"$1\" && exec \"$2\" --root \"$3\" --fault 7 --json"
        let result = try Command.run("/usr/bin/unshare", ["-m", "--propagation", "private", "/bin/sh", "-c", script, "sh", quarantine, AmpfixBinary.path, root.path])
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        let actions = try #require(report.faults.first?.actions)
        let first = try #require(actions.first)
        #expect(first.outcome == .failed)
        let reason = first.reason ?? ""
        #expect(reason.contains("another file system") && reason.contains("never copies"), "\(reason)")
        #expect(actions.dropFirst().allSatisfy { $0.outcome == .skipped })
        #expect(FileManager.default.fileExists(atPath: root.at(Self.clamav + "/bytecode.cvd")))
        #expect(result.status == 1)
    }

    static func mode(_ path: String) -> UInt32 {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt32(info.st_mode) & 0o7777 : 0
    }
    /// A good file swapped in under the broken one's name between the last check and the rename
    /// (strace holds the rename back 2 s): before, the good file was quarantined and undo then
    /// refused to bring it back. Now what was moved is compared with what was checked, and moved
    /// back.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "skipped: needs strace (scripts/deps.sh installs it)"))
    func aFileSwappedInDuringTheMoveIsMovedBack() throws {
        let root = try Self.root("broken")
        let name = root.at(Self.clamav + "/bytecode.cvd")  // the first moved
        let good = Data("a good file downloaded again\n".utf8)
        let running = try Command.start("/usr/bin/strace", ["-f", "-qq", "-o", "/dev/null", "-e", "trace=renameat2", "-e", "inject=renameat2:delay_enter=2000000:when=1",
                                                            AmpfixBinary.path, "--root", root.path, "--fault", "7", "--json"])
        // The quarantine directory is made just before the rename.
        var waited = 0
        while running.isRunning && waited < 600 && !FileManager.default.fileExists(atPath: root.at("var/lib/ampfix/quarantine")) {
            usleep(10_000)
            waited += 1
        }
        usleep(200_000)
        try good.write(to: URL(fileURLWithPath: name + ".new"))
        #expect(rename(name + ".new", name) == 0)
        let result = running.wait(timeout: 60)
        #expect(!result.timedOut)
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        let action = try #require(report.faults.first?.actions.first { $0.target.hasSuffix("/bytecode.cvd") })
        #expect(action.outcome == .failed, "\(action)")
        #expect(action.reason?.contains("it was moved back, and the checked file was not moved") == true, "\(action.reason ?? "")")
        #expect(FileManager.default.contents(atPath: name) == good, "the good file is under its name again")
        let quarantine = root.at("var/lib/ampfix/quarantine")
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: quarantine)) ?? []
        for run in runs { #expect(try !FileManager.default.contentsOfDirectory(atPath: quarantine + "/" + run).contains("bytecode.cvd"), "the good file is not quarantined") }
    }
}
