import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// Moves by rename inside the root: only the file the plan saw, never over another, and back.
@Suite struct FileMovesTests {
    static func identity(_ path: String) throws -> FileIdentity {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw POSIXError(.ENOENT) }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    struct Fixture {
        let root = TempRoot("moves")
        let moves: FileMoves
        let change: Change

        init() throws {
            try root.write("opt/cisco/amp/var/clamav/bytecode.cvd", "broken definitions")
            moves = FileMoves(fs: try RootedFileSystem(root: root.path))
            change = .moveFile(from: "/opt/cisco/amp/var/clamav/bytecode.cvd", to: "/var/lib/ampfix/quarantine/R1/bytecode.cvd",
                               file: try FileMovesTests.identity(root.at("opt/cisco/amp/var/clamav/bytecode.cvd")))
        }
    }

    @Test func aMoveAndItsInverseGoThereAndBack() throws {
        let f = try Fixture()
        #expect(try f.moves.state(of: f.change) == .before)
        #expect(f.moves.precondition(of: f.change) == nil)
        try f.moves.apply(f.change)
        #expect(try f.moves.state(of: f.change) == .after)
        #expect(try String(contentsOfFile: f.root.at("var/lib/ampfix/quarantine/R1/bytecode.cvd"), encoding: .utf8) == "broken definitions")
        #expect(f.root.attributes("var/lib/ampfix/quarantine/R1")?.mode == 0o700, "the quarantine is ampfix's own")
        let back = try #require(f.change.inverse)
        #expect(try f.moves.state(of: back) == .before)
        try f.moves.apply(back)
        #expect(try f.moves.state(of: f.change) == .before)
        #expect(FileManager.default.fileExists(atPath: f.root.at("opt/cisco/amp/var/clamav/bytecode.cvd")))
    }

    @Test func aFileChangedSinceThePlanStays() throws {
        let f = try Fixture()
        try f.root.write("opt/cisco/amp/var/clamav/bytecode.cvd", "a good file downloaded since, of another size")
        #expect(f.moves.precondition(of: f.change)?.contains("changed since the diagnosis") == true)
        #expect(throws: HostError.self) { try f.moves.apply(f.change) }
        #expect(!FileManager.default.fileExists(atPath: f.root.at("var/lib/ampfix/quarantine/R1/bytecode.cvd")))
    }

    @Test func nothingIsMovedOverAnotherFile() throws {
        let f = try Fixture()
        try f.root.write("var/lib/ampfix/quarantine/R1/bytecode.cvd", "already there")
        #expect(f.moves.precondition(of: f.change)?.contains("exists already; ampfix never overwrites it") == true)
        #expect(throws: HostError.self) { try f.moves.apply(f.change) }
        #expect(try String(contentsOfFile: f.root.at("var/lib/ampfix/quarantine/R1/bytecode.cvd"), encoding: .utf8) == "already there")
        #expect(try f.moves.state(of: f.change).otherText == ("a new file now has the name /var/lib/ampfix/quarantine/R1/bytecode.cvd (\(try Self.identity(f.root.at("var/lib/ampfix/quarantine/R1/bytecode.cvd")))); the file stays at /opt/cisco/amp/var/clamav/bytecode.cvd"))
    }

    @Test func aFIFOInTheFilesPlaceIsNeitherOpenedNorMoved() throws {
        let f = try Fixture()
        try FileManager.default.removeItem(atPath: f.root.at("opt/cisco/amp/var/clamav/bytecode.cvd"))
        #expect(mkfifo(f.root.at("opt/cisco/amp/var/clamav/bytecode.cvd"), 0o600) == 0)
        let error = #expect(throws: HostError.self) { try f.moves.apply(f.change) }
        #expect(error?.refusal == .wrongKind(.fifo), "\(String(describing: error))")
        var info = stat()
        #expect(lstat(f.root.at("opt/cisco/amp/var/clamav/bytecode.cvd"), &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO stays where it was")
    }
}
