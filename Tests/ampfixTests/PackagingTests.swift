import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// The connector hook never breaks a package transaction; the deb and rpm carry what ampfix needs.
@Suite struct PackagingTests {
    static let hook = PackageLayout.root + "/packaging/hooks/ampfix-connector-hook"

    func runHook(_ arguments: [String], ampfix: String, log: String) throws -> CommandResult {
        try Command.run("/bin/sh", [Self.hook] + arguments, environment: [
            "AMPFIX": ampfix, "AMPFIX_HOOK_LOG": log, "DPKG_MAINTSCRIPT_NAME": "postinst",
        ])
    }

    @Test func theHookRepairsTheSampleAndExitsZero() throws {
        let sample = try SampleHost.build()
        let log = sample.at("var/log/cisco/ampfix-hook.log")
        let result = try runHook(["--root", sample.path, "--policy-module", PackageLayout.policyModule], ampfix: AmpfixBinary.path, log: log)
        #expect(result.status == 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("repair of faults 5 and 19: exit status 0"), "\(text)")
        #expect(text.contains("diagnosis of all faults: exit status 1"), "fault 11 remains on the sample")
        #expect(try String(contentsOfFile: sample.at("etc/passwd"), encoding: .utf8).contains("cisco-amp-scan-svc:"))
    }

    @Test func theHookExitsZeroWhateverAmpfixDoes() throws {
        let work = TempRoot("hook")
        for (ampfix, expected) in [("/bin/false", "exit status 1"), ("/nonexistent/ampfix", "ampfix is not installed at /nonexistent/ampfix")] {
            let log = work.at("log-\(expected.count)")
            let result = try runHook([], ampfix: ampfix, log: log)
            #expect(result.status == 0)
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains(expected))
        }
        // Not even an unwritable log stops it.
        try "".write(toFile: work.at("file"), atomically: false, encoding: .utf8)
        #expect(try runHook([], ampfix: "/bin/false", log: work.at("file/sub/log")).status == 0)
    }

    @Test func theDebCarriesTheBinaryItsDataAndTheHook() throws {
        let out = TempRoot("deb")
        let build = try Command.run("/bin/bash", [PackageLayout.root + "/packaging/build-deb.sh", out.path, AmpfixBinary.path])
        #expect(build.status == 0, "\(build.stderr)")
        let deb = build.stdout.trimming()
        let contents = try Command.run("/usr/bin/dpkg-deb", ["-c", deb]).stdout
        for path in ["./usr/sbin/ampfix", "./usr/share/ampfix/policy/cisco-secure-bpf.cil", "./usr/share/ampfix/kernel-support.tsv",
                     "./usr/share/ampfix/hooks/ampfix-connector-hook", "./usr/share/man/man8/ampfix.8.gz"] {
            #expect(contents.contains(path), "\(path)")
        }
        #expect(try Command.run("/usr/bin/dpkg-deb", ["-f", deb, "Depends"]).stdout.contains("passwd"))

        // It installs with dpkg into a throwaway root.
        let root = TempRoot("dpkgroot")
        try root.makeDirectory("var/lib/dpkg/info")
        try root.makeDirectory("var/lib/dpkg/updates")
        try root.write("var/lib/dpkg/status", "")
        let install = try Command.run("/usr/bin/dpkg", ["--root=\(root.path)", "--force-depends", "--force-script-chrootless", "--no-triggers", "-i", deb])
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: root.at("usr/sbin/ampfix")))
    }

    @Test func theRPMCarriesTheBinaryItsDataAndTheHook() throws {
        let out = TempRoot("rpm")
        let build = try Command.run("/bin/bash", [PackageLayout.root + "/packaging/build-rpm.sh", out.path, AmpfixBinary.path])
        #expect(build.status == 0, "\(build.stderr)")
        let rpm = build.stdout.trimming()
        let files = try Command.run("/usr/bin/rpm", ["-qlp", rpm]).stdout
        for path in ["/usr/sbin/ampfix", "/usr/share/ampfix/policy/cisco-secure-bpf.cil", "/usr/share/ampfix/kernel-support.tsv",
                     "/usr/share/ampfix/hooks/ampfix-connector-hook", "/usr/share/man/man8/ampfix.8.gz"] {
            #expect(files.contains(path), "\(path)")
        }
        #expect(try Command.run("/usr/bin/rpm", ["-qp", "--requires", rpm]).stdout.contains("shadow-utils"))
    }
}
