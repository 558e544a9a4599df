import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// Fault 5's directory repair through the real binary on throwaway roots.
@Suite struct RepairTests {
    /// `--fault 5` on a tree it cannot fully check: unknown, exit 2, nothing done.
    func unknownFault5(_ sample: TempRoot) throws -> FaultReport {
        let result = try AmpfixBinary.run(["--root", sample.path, "--fault", "5", "--json"])
        #expect(result.status == 2, "\(result.stderr)")
        let fault = try report(result).faults[0]
        #expect(fault.status == .unknown)
        #expect(fault.actions.isEmpty)
        return fault
    }

    func report(_ result: CommandResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    /// Every directory under opt/cisco, with mode and owner.
    func connectorTree(_ root: TempRoot) -> [String] {
        TreeSnapshot.take(root.at("opt/cisco"))
    }

    var wrongDirectories: Int { Privileges.isRoot ? 4 : 3 }

    /// The directories under `relative`, itself first, without entering symbolic links.
    static func directories(_ root: TempRoot, under relative: String) -> [String] {
        var found = [relative]
        var index = 0
        while index < found.count {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.at(found[index]))) ?? []
            for name in names.sorted() where !root.isSymlink(found[index] + "/" + name) {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root.at(found[index] + "/" + name), isDirectory: &isDirectory), isDirectory.boolValue {
                    found.append(found[index] + "/" + name)
                }
            }
            index += 1
        }
        return found
    }

    @Test func dryRunChangesNothingByteForByte() throws {
        let sample = try SampleHost.build()
        let before = TreeSnapshot.take(sample.path)
        let result = try AmpfixBinary.run(["--root", sample.path, "--all", "--dry-run", "--json"])
        #expect(result.status == 1)
        let parsed = try report(result)
        #expect(parsed.mode == .dryRun)
        #expect(parsed.faults[0].actions.count == wrongDirectories + 1)
        #expect(parsed.faults[0].actions.first?.kind == .createUser)
        #expect(parsed.faults[0].actions.allSatisfy { $0.outcome == .planned })
        #expect(TreeSnapshot.take(sample.path) == before)
        // Alone, --dry-run plans for every fault; the text names each change.
        let text = try AmpfixBinary.run(["--root", sample.path, "--dry-run"])
        #expect(text.stdout.contains("planned: set /opt/cisco/amp: mode 0700 -> 0755"))
        #expect(TreeSnapshot.take(sample.path) == before)
    }

    @Test func repairSetsModesAndLeavesLinkTargetsAlone() throws {
        let sample = try SampleHost.build()
        let result = try AmpfixBinary.run(["--root", sample.path, "--all", "--json", "--policy-module", PackageLayout.policyModule])
        // Fault 11 remains (packages are never installed under --root): exit 1; 5 and 19 are now ok.
        #expect(result.status == 1, "\(result.stderr)")
        let parsed = try report(result)
        let fault5 = parsed.faults[0]
        #expect(fault5.initialStatus == .present)
        #expect(fault5.status == .ok)
        #expect(fault5.actions.map(\.outcome) == Array(repeating: .applied, count: wrongDirectories + 1))
        #expect(fault5.evidence.contains { $0.contains("directories under /opt/cisco are mode 0755 owned by root") })
        #expect(parsed.run != nil)
        #expect(parsed.faults.first { $0.id == 19 }?.status == .ok)
        #expect(parsed.faults.first { $0.id == 11 }?.manualSteps.contains { $0.contains("apt-get install -y linux-headers-6.1.0-sample-amd64") } == true)

        // Every real directory of the tree (links are not followed), checked with lstat.
        let directories = Self.directories(sample, under: "opt/cisco")
        #expect(directories.count >= wrongDirectories, "\(directories)")
        for directory in directories {
            let attributes = try #require(sample.attributes(directory))
            #expect(attributes.mode == 0o755, "\(directory)")
            if Privileges.isRoot { #expect(attributes.uid == 0, "\(directory)") }
        }
        #expect(sample.attributes("etc/shadow")?.mode == 0o640, "not changed through the planted link")
        #expect(sample.isSymlink("opt/cisco/amp/lib/planted"))

        // A second run finds nothing to do and writes no journal.
        let rerun = try AmpfixBinary.run(["--root", sample.path, "--fault", "5", "--json"])
        #expect(rerun.status == 0)
        let again = try report(rerun)
        #expect(again.faults[0].actions.isEmpty)
        #expect(again.run == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: sample.at("var/lib/ampfix/journal")).count == 1)
    }

    // A name that is not UTF-8 is repaired like any other: HostileRootTests.aNameThatIsNotUTF8IsRepairedAndUndoneLikeAnyOther.

    @Test func aConnectorDirectoryReachedThroughALinkIsNeverOk() throws {
        let sample = try SampleHost.build()
        // Everything else repaired first: the link is then the only thing left.
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        try sample.makeDirectory("srv/amp-var", mode: 0o700)
        try FileManager.default.moveItem(atPath: sample.at("opt/cisco/amp/var"), toPath: sample.at("srv/amp-var/var"))
        sample.symlink("opt/cisco/amp/var", to: "../../../srv/amp-var")
        let passwd = try String(contentsOfFile: sample.at("etc/passwd"), encoding: .utf8)
        let fault = try unknownFault5(sample)
        #expect(fault.evidence.contains { $0.hasPrefix("/opt/cisco/amp/var: symbolic link to the directory /srv/amp-var (mode 0700") }, "\(fault.evidence)")
        #expect(fault.manualSteps.contains { $0.contains("Replace the link /opt/cisco/amp/var") })
        #expect(sample.attributes("srv/amp-var")?.mode == 0o700, "nothing changed through the link")
        #expect(try String(contentsOfFile: sample.at("etc/passwd"), encoding: .utf8) == passwd)
    }

    @Test func aPathThatEscapesTheRootIsRefused() throws {
        let parent = TempRoot("escape")
        try parent.makeDirectory("root/opt")
        try parent.makeDirectory("victim", mode: 0o700)
        parent.symlink("root/opt/cisco", to: "../../victim")
        let result = try AmpfixBinary.run(["--root", parent.at("root"), "--fault", "5", "--json", "--dry-run"])
        let parsed = try report(result)
        #expect(parsed.faults[0].evidence.contains { $0.contains("cannot check /opt/cisco") && $0.contains("leaves the root") })
        #expect(!parsed.faults[0].actions.contains { $0.kind == .directoryAttributes })
        #expect(parent.attributes("victim")?.mode == 0o700)
    }

    @Test func killedRunIsCompletedByTheNextOneAndUndoRestoresExactly() throws {
        let sample = try SampleHost.build()
        let original = connectorTree(sample)
        let accounts = try ["passwd", "group", "shadow", "gshadow"].map { try String(contentsOfFile: sample.at("etc/\($0)"), encoding: .utf8) }

        let crashed = try AmpfixBinary.run(["--root", sample.path, "--fault", "5"], environment: ["AMPFIX_TEST_CRASH_AFTER_ACTIONS": "1"])
        #expect(crashed.signaled && crashed.status == SIGKILL, "status \(crashed.status): \(crashed.stderr)")
        let journals = try FileManager.default.contentsOfDirectory(atPath: sample.at("var/lib/ampfix/journal"))
        #expect(journals.count == 1)
        let lines = try String(contentsOfFile: sample.at("var/lib/ampfix/journal/\(journals[0])"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.contains("\"type\":\"begin\"") == true)
        #expect(!lines.contains { $0.contains("\"type\":\"end\"") })
        #expect(try String(contentsOfFile: sample.at("etc/passwd"), encoding: .utf8).contains("cisco-amp-scan-svc:"), "the first action ran")
        #expect(sample.attributes("opt/cisco/amp")?.mode == 0o700, "the second action must not have run")

        // A dry run reports the pending recovery and still changes nothing.
        let frozen = TreeSnapshot.take(sample.path)
        let preview = try report(try AmpfixBinary.run(["--root", sample.path, "--dry-run", "--json"]))
        #expect(preview.recovered.first?.contains("was interrupted; the next repair or undo will complete it") == true)
        #expect(TreeSnapshot.take(sample.path) == frozen)
        // So does a diagnosis.
        let audit = try report(try AmpfixBinary.run(["--root", sample.path, "--json"]))
        #expect(audit.recovered.first?.contains("was interrupted; the next repair or undo will complete it") == true)
        #expect(TreeSnapshot.take(sample.path) == frozen)

        let next = try AmpfixBinary.run(["--root", sample.path, "--fault", "5", "--json"])
        let parsed = try report(next)
        #expect(parsed.recovered.count == 1)
        #expect(parsed.recovered.first?.contains("has been completed") == true)
        #expect(parsed.faults[0].status == .ok, "the recovery finished the repair")
        #expect(sample.attributes("opt/cisco/amp/var")?.mode == 0o755)

        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(connectorTree(sample) == original)
        #expect(try ["passwd", "group", "shadow", "gshadow"].map { try String(contentsOfFile: sample.at("etc/\($0)"), encoding: .utf8) } == accounts)
        let nothing = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(nothing.status == 0 && nothing.stderr.contains("nothing to undo"))
    }

    /// `undo --dry-run` plans exactly what the undo then does, changes nothing (not even the
    /// journal), names a change made since as skipped, and speaks JSON (ampfix.undo/1).
    @Test func anUndoDryRunPlansWhatTheUndoDoesAndChangesNothing() throws {
        let sample = try SampleHost.build()
        let repair = try AmpfixBinary.run(["--root", sample.path, "--fault", "5"])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        // Changed since the run: the undo must leave it, and the plan must say so.
        #expect(chmod(sample.at("opt/cisco/amp/var"), 0o711) == 0)
        let frozen = TreeSnapshot.take(sample.path)
        let planned = try AmpfixBinary.run(["undo", "--root", sample.path, "--dry-run", "--json"])
        #expect(planned.status == 1, "a change that would be left makes the plan incomplete: \(planned.stderr)")
        #expect(TreeSnapshot.take(sample.path) == frozen)
        let plan = try JSONDecoder().decode(UndoJSON.self, from: Data(planned.stdout.utf8))
        #expect(plan.schema == "ampfix.undo/1" && plan.dryRun && !plan.complete)
        let skipped = plan.items.filter { $0.outcome == "skipped" }.map(\.target)
        // Targets are named as the root's paths: the connector's tree (the scan account's home).
        let tree = ScanUserFault.accountHome
        #expect(skipped == [tree + "/var"], "\(plan.items.map { ($0.target, $0.outcome) })")
        #expect(plan.items.filter { $0.outcome == "planned" }.count == plan.items.count - 1)
        let top = plan.items.first { $0.target == tree }
        #expect(top?.before == "mode 0755 owner 0:0" && top?.after == "mode 0700 owner 0:0", "before is now, after what the undo puts back")

        let undone = try AmpfixBinary.run(["undo", "--root", sample.path, "--json"])
        #expect(undone.status == 1)
        let done = try JSONDecoder().decode(UndoJSON.self, from: Data(undone.stdout.utf8))
        #expect(!done.dryRun && done.run == plan.run)
        #expect(done.items.map(\.target) == plan.items.map(\.target))
        #expect(done.items.map { $0.outcome == "reverted" } == plan.items.map { $0.outcome == "planned" })
        #expect(sample.attributes("opt/cisco/amp")?.mode == 0o700)
        #expect(sample.attributes("opt/cisco/amp/var")?.mode == 0o711)

        let nothing = try AmpfixBinary.run(["undo", "--root", sample.path, "--dry-run", "--json"])
        let none = try JSONDecoder().decode(UndoJSON.self, from: Data(nothing.stdout.utf8))
        #expect(nothing.status == 0 && none.run == nil && none.items.isEmpty)
        #expect(try AmpfixBinary.run(["undo", "--root", sample.path, "--dry-run", "--list"]).status == 64)
    }

    /// What refuses the undo refuses its plan (a journal with a second name: the undo would write
    /// its records through it); a run a crash interrupted makes the plan inexact, and it says so.
    @Test func anUndoDryRunFailsWhereTheUndoWouldAndSaysWhenItCannotBeExact() throws {
        let sample = try SampleHost.build()
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        let journal = sample.at("var/lib/ampfix/journal")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: journal).first)
        #expect(link("\(journal)/\(file)", sample.at("var/lib/ampfix/second-name")) == 0)
        let planned = try AmpfixBinary.run(["undo", "--root", sample.path, "--dry-run"])
        let undone = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(planned.status == 2 && undone.status == 2, "\(planned.stdout)\(planned.stderr)")
        #expect(planned.stderr.contains("hard links") && undone.stderr.contains("hard links"), "\(planned.stderr)")
        #expect(unlink(sample.at("var/lib/ampfix/second-name")) == 0)

        // Interrupted after its first action: the undo would complete the run, then revert it.
        let other = try SampleHost.build()
        let crashed = try AmpfixBinary.run(["--root", other.path, "--fault", "5"], environment: ["AMPFIX_TEST_CRASH_AFTER_ACTIONS": "1"])
        #expect(crashed.signaled)
        let frozen = TreeSnapshot.take(other.path)
        let inexact = try AmpfixBinary.run(["undo", "--root", other.path, "--dry-run", "--json"])
        #expect(TreeSnapshot.take(other.path) == frozen)
        let plan = try JSONDecoder().decode(UndoJSON.self, from: Data(inexact.stdout.utf8))
        #expect(inexact.status == 1 && !plan.complete, "\(inexact.stdout)")
        #expect(plan.recovered.contains { $0.contains("was interrupted") } && plan.recovered.contains { $0.contains("this plan is of the journal as it is now") })
    }

    @Test func aHeldLockMakesTheNextRunWaitThenGiveUp() throws {
        let sample = try SampleHost.build()
        let held = try RunLock.acquire(RootedFileSystem(root: sample.path), timeout: 1, create: true)
        let gaveUp = try AmpfixBinary.run(["--root", sample.path, "--fault", "5", "--lock-timeout", "0.3"])
        #expect(gaveUp.status == 2)
        #expect(gaveUp.stderr.contains("still running"), "\(gaveUp.stderr)")
        #expect(sample.attributes("opt/cisco/amp")?.mode == 0o700)

        let waiting = try AmpfixBinary.start(["--root", sample.path, "--fault", "5", "--lock-timeout", "30"])
        usleep(500_000)
        #expect(waiting.isRunning, "the run must wait for the lock")
        #expect(sample.attributes("opt/cisco/amp")?.mode == 0o700)
        withExtendedLifetime(held) {}
        _ = consume held
        let finished = waiting.wait()
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(sample.attributes("opt/cisco/amp")?.mode == 0o755)
    }

    @Test func twoConcurrentRunsAreSerialized() throws {
        let sample = try SampleHost.build()
        let arguments = ["--root", sample.path, "--all", "--json", "--policy-module", PackageLayout.policyModule]
        let first = try AmpfixBinary.start(arguments)
        let second = try AmpfixBinary.start(arguments)
        let reports = try [first.wait(), second.wait()].map(report)
        let applied = reports.map { $0.faults[0].actions.filter { $0.outcome == .applied }.count }
        #expect(applied.sorted() == [0, wrongDirectories + 1], "one run repairs, the other finds nothing: \(applied)")
        #expect(reports.allSatisfy { $0.faults[0].status == .ok && $0.exitCode == 1 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: sample.at("var/lib/ampfix/journal")).count == 1)
    }
}
