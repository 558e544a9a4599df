import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// ClamAV database archives built byte by byte by scripts/definitions-fixture.sh, checked
/// through the real reader (files streamed, MD5, zlib).
@Suite struct DefinitionFilesTests {
    static func inspect(_ which: String, bodies: Bool = true, depth: DiagnosisDepth = .quick) throws -> [String: DefinitionFileCheck] {
        let root = TempRoot("definitions")
        let made = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/definitions-fixture.sh", root.at("opt/cisco/amp/var/clamav"), which])
        try #require(made.status == 0, "\(made.stderr)")
        let checks = try #require(try DefinitionFiles(fs: RootedFileSystem(root: root.path)).inspect(directory: RepairOptions.defaultDefinitionsDirectory,
                bodies: bodies, depth: depth))
        return Dictionary(uniqueKeysWithValues: checks.map { (String($0.path.split(separator: "/").last!), $0) })
    }

    @Test func soundArchivesAreSoundWithTheirHeaderFields() throws {
        let checks = try Self.inspect("sound")
        #expect(checks.keys.sorted() == ["daily.cld", "main.cvd"])
        let main = try #require(checks["main.cvd"])
        #expect(main.problem == nil, "\(main.summary)")
        #expect(main.header?.version == 27000 && main.header?.signatures == 8_700_000 && main.header?.functionalityLevel == 90)
        #expect(main.header?.buildSeconds == 1_795_428_000)
        #expect(main.members == 3)
        let daily = try #require(checks["daily.cld"])
        #expect(daily.problem == nil, "\(daily.summary)")
        #expect(daily.notes.contains { $0.contains("carries no digest of its body") })
    }

    @Test func eachCorruptionIsFoundWithItsReason() throws {
        let checks = try Self.inspect("broken")
        let expected = [
            "bytecode.cvd": "the body's MD5 is",
            "truncated.cvd": "the body's MD5 is",
            "header.cvd": "the file ends after 100 bytes, inside its 512-byte header",
            "fields.cvd": "the header has no signature count field",
            "gzip.cvd": "its gzip data is corrupt",
            "tar.cvd": "is not a regular file",
            "foreign.cvd": "not a ClamAV database",
        ]
        #expect(checks.keys.sorted() == expected.keys.sorted())
        for (name, reason) in expected {
            let problem = checks[name]?.problem?.description ?? "sound"
            #expect(problem.contains(reason), "\(name): \(problem)")
        }
    }

    /// Bodies of many reads: the MD5 computed on its own thread over a ring of buffers is the
    /// body's, and one changed byte near the end is found.
    @Test func aLargeBodyIsHashedWholeOnItsOwnThread() throws {
        let checks = try Self.inspect("large")
        let sound = try #require(checks["large.cvd"])
        #expect(sound.problem == nil, "\(sound.summary)")
        #expect(sound.members == 3 && sound.bodyRead)
        let flipped = try #require(checks["large-flipped.cvd"]?.problem)
        #expect(flipped.hasPrefix("the body's MD5 is "), "\(flipped)")
    }

    /// Headers only: what the header says and a body that is missing; a broken body is not
    /// looked at, and the summary says so.
    @Test func headersOnlyReadNoBody() throws {
        let sound = try Self.inspect("sound", bodies: false)
        for (name, check) in sound {
            #expect(check.problem == nil && !check.bodyRead && check.members == 0, "\(name): \(check.summary)")
            #expect(check.header?.version == 27000)
            #expect(check.library == nil, "libclamav's cl_cvdhead reads the whole file: not asked for headers only")
            #expect(check.summary.description.contains("; header sound, body not read"), "\(check.summary)")
        }
        let broken = try Self.inspect("broken", bodies: false)
        for name in ["bytecode.cvd", "truncated.cvd", "gzip.cvd", "tar.cvd"] {
            #expect(broken[name]?.problem == nil, "\(name): the body is not read")
        }
        for name in ["header.cvd", "fields.cvd", "foreign.cvd"] {
            #expect(broken[name]?.problem != nil, "\(name): its header is read")
        }
        let root = TempRoot("definitions")
        let made = try Command.run("/bin/bash", ["-c", "mkdir -p \"$1\" && bash \"$2\" \"$1\" sound && head -c 512 \"$1/main.cvd\" > \"$1/empty.cvd\"", "-",
                                                 root.at("opt/cisco/amp/var/clamav"), PackageLayout.root + "/scripts/definitions-fixture.sh"])
        try #require(made.status == 0, "\(made.stderr)")
        let checks = try #require(try DefinitionFiles(fs: RootedFileSystem(root: root.path)).inspect(directory: RepairOptions.defaultDefinitionsDirectory,
                bodies: false, depth: .quick))
        #expect(checks.first { $0.path.hasSuffix("/empty.cvd") }?.problem?.description == "it has a header and no body")
    }

    #if ClamAV
    /// libclamav (trait ClamAV) reads the same open files: its word is shown and never decides.
    @Test func libclamavsWordIsEvidenceBesideOursAndNeverAVerdict() throws {
        let quick = try Self.inspect("all")
        for (name, check) in quick {
            let word = try #require(check.library, "\(name): libclamav was not asked")
            let unreadable = ["header.cvd", "fields.cvd", "foreign.cvd"].contains(name)
            #expect(word.contains(unreadable ? "cannot read its header" : "header read (version 27000, 8700000 signatures); not verified (--verbose verifies)"), "\(name): \(word)")
        }
        let thorough = try Self.inspect("all", depth: .thorough)
        for name in ["main.cvd", "daily.cld", "bytecode.cvd"] {
            // Files signed by no key libclamav holds (ours) fail its verification, sound or not.
            let word = try #require(thorough[name]?.library)
            #expect(word.contains("not verified: "), "\(name): \(word)")
        }
        // Our verdicts are the same with and without libclamav's verification.
        #expect(thorough.mapValues(\.problem) == quick.mapValues(\.problem))
        #expect(thorough["main.cvd"]?.problem == nil && thorough["daily.cld"]?.problem == nil)
        #expect(thorough["main.cvd"]?.summary.description.contains("; libclamav 1.") == true)
    }
    #endif

    @Test func aMissingDirectoryIsNil() throws {
        let root = TempRoot("definitions")
        #expect(try DefinitionFiles(fs: RootedFileSystem(root: root.path)).inspect(directory: RepairOptions.defaultDefinitionsDirectory, bodies: true,
                depth: .quick) == nil)
    }
}
