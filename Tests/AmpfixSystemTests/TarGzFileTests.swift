import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import SystemPackage
import Testing

/// The support bundle's archive, read back with the system's tar.
@Suite struct TarGzFileTests {
    static let members = [TarGzFile.Member(name: "MANIFEST.txt", bytes: Array("taken: report.json\n".utf8)),
                          TarGzFile.Member(name: "etc/os-release", bytes: Array("ID=debian\n".utf8))]

    @Test func tarReadsWhatWasWrittenUnderItsDirectory() throws {
        let out = TempRoot("targz")
        let path = out.at("bundle.tar.gz")
        try TarGzFile.write(Self.members, directory: "ampfix-support-R1", to: path, modified: 1_795_000_000)
        let listing = try Command.run("/usr/bin/tar", ["-tzf", path])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.split(separator: "\n").map(String.init) == ["ampfix-support-R1/MANIFEST.txt", "ampfix-support-R1/etc/os-release"])
        let content = try Command.run("/usr/bin/tar", ["-xzOf", path, "ampfix-support-R1/etc/os-release"])
        #expect(content.stdout == "ID=debian\n")
        #expect(out.attributes("bundle.tar.gz")?.mode == 0o600, "a bundle holds host facts: only its owner reads it")
    }

    @Test func anExistingFileIsNeverReplaced() throws {
        let out = TempRoot("targz-exists")
        try out.write("bundle.tar.gz", "someone's file")
        #expect(throws: HostError.self) { try TarGzFile.write(Self.members, directory: "d", to: out.at("bundle.tar.gz"), modified: 0) }
        #expect(try String(contentsOfFile: out.at("bundle.tar.gz"), encoding: .utf8) == "someone's file")
    }

    /// A write that fails half way leaves neither the bundle nor its partial file behind.
    @Test(arguments: ["fsync", "renameat2"])
    func aFailedWriteLeavesNothing(call: String) throws {
        let out = TempRoot("targz-fails")
        Syscall.$failure.withValue({ $0 == call ? .noSpace : nil }) {
            #expect(throws: HostError.self) { try TarGzFile.write(Self.members, directory: "d", to: out.at("bundle.tar.gz"), modified: 0) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    /// libarchive is opened when a bundle is written; where it is missing the error names the
    /// library and its package, and no file is left behind.
    @Test func aMissingLibraryIsNamedWithItsPackage() throws {
        let failed = #expect(throws: HostError.self) { try LibArchive(soname: "libarchive-missing.so.99") }
        let message = failed.map { "\($0)" } ?? ""
        #expect(message.contains("libarchive-missing.so.99") && message.contains("install libarchive13"), "\(message)")
        #expect(throws: Never.self) { try LibArchive() }
    }
}
