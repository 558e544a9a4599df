import AmpfixCore
import AmpfixPackages
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

// libapt-pkg and librpm keep process-wide state and are not thread-safe: one test at a time.
@Suite(.serialized) struct AptBackendTests {
    /// "Installed:" and "Candidate:" of `apt-cache policy NAME`, the tool users would run.
    static func policy(_ name: String) throws -> (installed: String?, candidate: String?) {
        let out = try Command.run("/usr/bin/apt-cache", ["policy", name]).stdout
        func field(_ key: String) -> String? {
            guard let line = out.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) }) else { return nil }
            let value = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            return value == "(none)" ? nil : value
        }
        return (field("Installed:"), field("Candidate:"))
    }

    #if Apt
    /// Without package lists apt knows only what is installed, and a comparison of candidates
    /// would compare nothing with nothing.
    static let hasPackageLists = ((try? FileManager.default.contentsOfDirectory(atPath: "/var/lib/apt/lists")) ?? [])
        .contains { $0.contains("_Packages") }

    @Test(.enabled(if: hasPackageLists, "skipped: apt has no package lists here (apt-get update)"),
          arguments: ["apt", "linux-headers-amd64", "dpkg"])
    func agreesWithAptCachePolicy(_ name: String) throws {
        let database = try AptDatabase(root: "/")
        let expected = try Self.policy(name)
        try #require(expected.candidate != nil, "apt-cache policy \(name) names a candidate, so the comparison compares something")
        let found = try database.lookup(name)
        #expect(found?.installed.first == expected.installed, "installed \(name)")
        #expect(found?.candidate == expected.candidate, "candidate \(name)")
    }

    @Test func aMissingNameIsNotFound() throws {
        #expect(try AptDatabase(root: "/").lookup("ampfix-no-such-package-here") == nil)
    }

    static let pairs = [
        ("1.0", "1.0"), ("1.0", "1.0.1"), ("1:1.0", "2.0"), ("1.0~rc1", "1.0"), ("1.0~rc1", "1.0~rc2"),
        ("1.0+b1", "1.0"), ("1.0-1", "1.0-1+deb12u1"), ("2.6.1", "2.6.2"), ("0:1.2", "1.2"),
        ("1.0a", "1.0+"), ("6.1.0-18", "6.1.0-9"), ("1.0~~", "1.0~"), ("1.2.3-4ubuntu1", "1.2.3-4"),
    ]

    @Test func comparisonAgreesWithDpkg() throws {
        for (a, b) in Self.pairs {
            let ours = AptDatabase.compare(a, b)
            let lt = try Command.run("/usr/bin/dpkg", ["--compare-versions", a, "lt", b]).status == 0
            let eq = try Command.run("/usr/bin/dpkg", ["--compare-versions", a, "eq", b]).status == 0
            #expect(ours == (lt ? -1 : eq ? 0 : 1), "\(a) vs \(b)")
        }
    }

    @Test func aRootWithoutDpkgStateIsAnErrorNotAHostLookup() throws {
        let root = TempRoot("apt")
        #expect(throws: HostError(.msg("open the apt cache under"), root.path, .noPackageDatabase(path: root.at("var/lib/dpkg/status")))) {
            try AptDatabase(root: root.path)
        }
    }
    #endif
}

@Suite(.serialized) struct RPMBackendTests {
    #if RPM
    @Test func installedVersionsComeFromTheRootsDatabase() throws {
        let root = TempRoot("rpmdb")
        try RPMFixture.install([
            .init("kernel-devel", "5.14.0", "362.8.1.el9_3"),
            .init("kernel-devel", "5.14.0", "70.13.1.el9_0"),
            .init("kernel-uek-devel", "5.15.0", "200.131.27.el9uek"),
            .init("kernel-default-devel", "5.14.21", "150500.55.39.1"),
        ], into: root.path)
        let database = try RPMDatabase(root: root.path)
        #expect(try database.lookup("kernel-devel")?.installed == ["5.14.0-70.13.1.el9_0.x86_64", "5.14.0-362.8.1.el9_3.x86_64"])
        #expect(try database.lookup("kernel-uek-devel")?.installed == ["5.15.0-200.131.27.el9uek.x86_64"])
        #expect(try database.lookup("kernel-default-devel")?.installed == ["5.14.21-150500.55.39.1.x86_64"])
        #expect(try database.lookup("kernel-rt-devel") == nil)
        #expect(try database.lookup("kernel-devel")?.candidate == nil, "librpm sees no repositories")
    }

    @Test func aRootWithoutADatabaseIsAnError() throws {
        let root = TempRoot("rpm-empty")
        #expect(throws: HostError(.msg("open the rpm database under"), root.path, .noPackageDatabase(path: RPMDatabase.defaultDatabasePath))) { try RPMDatabase(root: root.path) }
        #expect(!FileManager.default.fileExists(atPath: root.at("var/lib/rpm")), "no empty database is created")
    }

    static let pairs = [
        ("1.0", "1.0"), ("1.0", "1.0.1"), ("1:1.0", "2.0"), ("1.0~rc1", "1.0"), ("1.0^post1", "1.0"),
        ("1.0a", "1.0"), ("1.0", "1.0-1"), ("5.14.0-362.8.1.el9_3", "5.14.0-70.13.1.el9_0"),
        ("2.0.1", "2.0a"), ("1.0_1", "1.0.1"), ("0:1.2-1", "1.2-1"), ("10", "9"),
    ]

    @Test func comparisonAgreesWithRpm() throws {
        for (a, b) in Self.pairs {
            let expected = try Command.run("/usr/bin/rpm", ["--eval", "%{lua: print(rpm.vercmp('\(a)', '\(b)'))}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(String(RPMDatabase.compare(a, b)) == expected, "\(a) vs \(b)")
        }
    }
    #endif
}
