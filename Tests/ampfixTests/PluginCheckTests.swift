import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// `ampfix check`: the monitoring plugin's line, perfdata and exit codes on the sample hosts.
@Suite struct PluginCheckTests {
    static func check(_ arguments: [String]) throws -> CommandResult { try AmpfixBinary.run(["check"] + arguments) }
    /// The repository's data files, as the package installs them.
    static let data = ["--kernel-support", PackageLayout.root + "/data/kernel-support.tsv", "--policy-module", PackageLayout.policyModule]
    /// The performance data as the plugin guidelines read ranges ("0": above 0 alerts): present
    /// warns, raised is critical, unknown carries no threshold.
    static func perfdata(present: Int, raised: Int = 0, unknown: Int, accepted: Int = 0, of all: Int) -> String {
        "present=\(present);0;;0;\(all) raised=\(raised);;0;0;\(all) unknown=\(unknown);;;0;\(all) accepted=\(accepted);;;0;\(all)"
    }

    @Test func theBrokenSampleWarnsAndTheHealthyOneIsOK() throws {
        let broken = try SampleHost.build()
        let before = TreeSnapshot.take(broken.path)
        let warning = try Self.check(["--root", broken.path])
        #expect(warning.status == 1, "\(warning.stdout)\(warning.stderr)")
        let first = try #require(warning.stdout.split(separator: "\n").first.map(String.init))
        #expect(first.hasPrefix("AMPFIX WARNING - faults present: 5, 6, 7, 8, 9, 11, 19"), "\(first)")
        let all = FaultID.allCases.count
        // Fault 16 is ok by the sample kernel's configuration alone (no support table given).
        #expect(first.hasSuffix(" | " + Self.perfdata(present: 7, unknown: 0, of: all)), "\(first)")
        #expect(warning.stdout.contains("\nfault 5 present: "), "\(warning.stdout)")
        #expect(TreeSnapshot.take(broken.path) == before, "a check changes nothing, not even a lock file")

        let healthy = try SampleHost.build(healthy: true)
        let ok = try Self.check(["--root", healthy.path] + Self.data)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout == "AMPFIX OK - no fault present (\(all) checked) | \(Self.perfdata(present: 0, unknown: 0, of: all))\n", "\(ok.stdout)")
    }

    /// Metrics asked for and not written: before, the check said OK and exited 0, and only a
    /// stale file would have told. An OK becomes UNKNOWN with the reason; a WARNING stays.
    @Test func metricsThatCannotBeWrittenAreNeverOK() throws {
        let healthy = try SampleHost.build(healthy: true)
        let nowhere = TempRoot("metrics").at("missing-directory/ampfix.prom")
        let ok = try Self.check(["--root", healthy.path, "--prometheus", nowhere] + Self.data)
        #expect(ok.status == 3, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("AMPFIX UNKNOWN - the faults are ok, but the metrics were not written: ") && ok.stdout.contains(nowhere), "\(ok.stdout)")
        let broken = try SampleHost.build()
        let warning = try Self.check(["--root", broken.path, "--prometheus", nowhere] + Self.data)
        #expect(warning.status == 1, "\(warning.stdout)")
    }

    @Test func aFaultTheConnectorRaisesIsCriticalAndNamedFaultsNarrowTheCheck() throws {
        let root = try SampleHost.build()
        let critical = try Self.check(["--root", root.path, "--ampcli", root.at("opt/cisco/amp/bin/ampcli")])
        #expect(critical.status == 2, "\(critical.stdout)\(critical.stderr)")
        #expect(critical.stdout.hasPrefix("AMPFIX CRITICAL - raised by the connector: 7, 18; "), "\(critical.stdout)")
        #expect(critical.stdout.contains(" raised=2;;0;0;"), "\(critical.stdout)")

        // A kernel with neither a configuration nor a support table to read: 16 is unknown.
        try FileManager.default.removeItem(atPath: root.at("boot/config-6.1.0-sample-amd64"))
        let two = try Self.check(["--root", root.path, "16", "5"])
        #expect(two.status == 1)
        #expect(two.stdout.hasPrefix("AMPFIX WARNING - faults present: 5; could not evaluate: 16 | \(Self.perfdata(present: 1, unknown: 1, of: 2))\n"), "\(two.stdout)")

        let unknown = try Self.check(["--root", root.path, "16"])
        #expect(unknown.status == 3 && unknown.stdout.hasPrefix("AMPFIX UNKNOWN - could not evaluate: 16 | "), "\(unknown.stdout)")
    }

    @Test func whatKeepsItFromCheckingIsUnknownInOneLineNeverAmpfixsOwnCodes() throws {
        for arguments in [["--root", "relative"], ["--bogus"], ["20"], ["--root", "/nonexistent-ampfix-root"]] {
            let result = try Self.check(arguments)
            #expect(result.status == 3, "\(arguments): \(result.status) \(result.stdout)\(result.stderr)")
            #expect(result.stdout.hasPrefix("AMPFIX UNKNOWN - ") && result.stdout.filter { $0 == "\n" }.count == 1, "\(arguments): \(result.stdout)")
        }
        let help = try Self.check(["--help"])
        #expect(help.status == 0 && help.stdout.contains("EXIT STATUS (the monitoring plugin codes"), "\(help.stdout)")
    }

    /// What an operator met in a first rollout: a check outliving check_nrpe's 10 s behind
    /// another run's lock, no -V, repair options in its help, no reason for "unknown" when run
    /// as the monitoring user.
    @Test func aCheckAnswersWithinItsTimeoutHasAVersionAndSaysWhyItCouldNotRead() throws {
        let root = try SampleHost.build()
        let version = try Self.check(["-V"])
        #expect(version.status == 0 && version.stdout == "ampfix \(AmpfixVersion.current)\n", "\(version.stdout)\(version.stderr)")
        let help = try Self.check(["--help"]).stdout
        #expect(help.contains("-t, --timeout <SECONDS>") && help.contains("--journal") && !help.contains("--module-source"), "\(help)")
        #expect(try Self.check(["--root", root.path, "--module-source", "/usr/src/ampfsm-1"]).status == 3)
        for bad in ["0", "-1", "nan", "99999"] {
            let refused = try Self.check(["--root", root.path, "-t", bad])
            #expect(refused.status == 3 && refused.stdout.hasPrefix("AMPFIX UNKNOWN - --timeout"), "\(bad): \(refused.stdout)")
        }

        // Another ampfix holds the root's lock: the answer comes within the timeout and names it.
        if let flock = Programs.locate("flock") {
            let locked = try SampleHost.build()
            try locked.write("run/ampfix.lock", "")
            let holder = try Command.start(flock, [locked.at("run/ampfix.lock"), "/bin/sleep", "6"])
            defer { _ = holder.wait(timeout: 10) }
            usleep(300_000)
            let began = ContinuousClock.now
            let waited = try Self.check(["--root", locked.path, "-t", "2"])
            let took = ContinuousClock.now - began
            #expect(waited.status == 3 && waited.stdout.hasPrefix("AMPFIX UNKNOWN - "), "\(waited.stdout)")
            #expect(waited.stdout.contains("ampfix"), "\(waited.stdout)")
            #expect(took < .seconds(5), "answered in \(took), not after the default 30 s lock wait")
        } else {
            print("skipped: flock (util-linux) is not installed: the check's wait for another run's lock was not tried")
        }

        // A status command that hangs: the answer comes at the timeout, and the command (with
        // what it started) does not outlive the check.
        let tools = TempRoot("slow-ampcli")
        let marker = tools.at("ampcli")  // in the command line of the shell that runs it, while its sleep lasts
        try tools.write("ampcli", "#!/bin/sh\nsleep 40\n", mode: 0o755)
        let slowStart = ContinuousClock.now
        let slow = try Self.check(["--root", root.path, "--ampcli", tools.at("ampcli"), "--status-timeout", "30", "-t", "2"])
        // (A status command left running keeps the check's output open until its sleep ends.)
        #expect(ContinuousClock.now - slowStart < .seconds(10), "the check and what it ran ended at the timeout")
        #expect(slow.status == 3 && slow.stdout == "AMPFIX UNKNOWN - ampfix check did not finish within 2 s (-t, --timeout)\n", "\(slow.stdout)")
        usleep(300_000)
        let left = try Command.run("/usr/bin/pgrep", ["-f", marker])
        #expect(left.stdout.isEmpty, "left running: \(left.stdout)")

        // As an unprivileged monitoring user: which file it could not read, and what to do.
        guard Privileges.isRoot, let setpriv = Programs.locate("setpriv") else {
            print("skipped: needs root and setpriv to run the check as another user")
            return
        }
        chmod(root.path, 0o755)
        let binary = TempRoot("check-binary")
        try FileManager.default.copyItem(atPath: AmpfixBinary.path, toPath: binary.at("ampfix"))
        chmod(binary.path, 0o755)
        let nobody = try Command.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", binary.at("ampfix"), "check", "--root", root.path])
        #expect(nobody.stdout.contains("fault 5 unknown: Scan service user unavailable (cannot check the scan account: cannot open \(root.at("etc/shadow")): Permission denied)"),
                "\(nobody.stdout)\(nobody.stderr)")
        #expect(nobody.stdout.contains("ampfix check runs as uid 65534, not root, and cannot read everything it checks: run it as root, or through sudo with the rule in "),
                "\(nobody.stdout)")
    }
}
