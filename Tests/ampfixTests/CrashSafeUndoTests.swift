import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// The journal's promise under crashes and later edits: undo reverts exactly what the run made,
/// and leaves alone what someone changed since. Real useradd/userdel under --root.
@Suite(.enabled(if: Privileges.isRoot, "skipped: useradd --root needs root"))
struct CrashSafeUndoTests {
    static let accountFiles = ["passwd", "group", "shadow", "gshadow"]

    static func accounts(_ root: TempRoot) throws -> [String] {
        try accountFiles.map { try String(contentsOfFile: root.at("etc/\($0)"), encoding: .utf8) }
    }

    static func report(_ result: CommandResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    @Test func aCrashInsideUseraddIsThisRunsChangeAndUndoRemovesTheUser() throws {
        let sample = try SampleHost.build()
        let original = try Self.accounts(sample)
        // useradd ran, its record did not: the journal says only "intent".
        let crashed = try AmpfixBinary.run(["--root", sample.path, "--fault", "5"], environment: ["AMPFIX_TEST_CRASH_INSIDE_ACTION": "1"])
        #expect(crashed.signaled && crashed.status == SIGKILL, "status \(crashed.status): \(crashed.stderr)")
        #expect(try Self.accounts(sample)[0].contains("cisco-amp-scan-svc:"))

        // An audit leaves it (and changes nothing); the next repair finishes it.
        let frozen = TreeSnapshot.take(sample.path)
        let audit = try Self.report(try AmpfixBinary.run(["--root", sample.path, "--json"]))
        #expect(audit.recovered.first?.contains("the next repair or undo will complete it first") == true, "\(audit.recovered)")
        #expect(TreeSnapshot.take(sample.path) == frozen, "an audit changes nothing")
        let next = try Self.report(try AmpfixBinary.run(["--root", sample.path, "--fault", "6", "--json"]))
        #expect(next.recovered.first?.contains("has been completed") == true, "\(next.recovered)")
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(try Self.accounts(sample) == original, "the user the crashed run created is gone again")
    }

    @Test func aTornLastRecordIsDroppedNotAppendedTo() throws {
        let sample = try SampleHost.build()
        let original = try Self.accounts(sample)
        let crashed = try AmpfixBinary.run(["--root", sample.path, "--fault", "5"], environment: ["AMPFIX_TEST_CRASH_AFTER_ACTIONS": "1"])
        #expect(crashed.signaled)
        let directory = sample.at("var/lib/ampfix/journal")
        let journal = directory + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int)
        #expect(truncate(journal, off_t(size - 20)) == 0)

        let next = try AmpfixBinary.run(["--root", sample.path, "--fault", "6", "--json"])
        let parsed = try Self.report(next)
        #expect(parsed.recovered.contains { $0.contains("the crash cut its last journal record short; that record is dropped") }, "\(parsed.recovered)")
        let listing = try AmpfixBinary.run(["undo", "--list", "--root", sample.path])
        #expect(listing.status == 0, "\(listing.stderr)")
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(try Self.accounts(sample) == original)
        #expect(try AmpfixBinary.run(["--root", sample.path]).status != 2, "the journal is still readable")
    }

    @Test func anAccountChangedSinceTheRunIsLeftAloneAndSaidSo() throws {
        let sample = try SampleHost.build()
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        let usermod = try Command.run("/usr/sbin/usermod", ["--root", sample.path, "-s", "/bin/bash", "cisco-amp-scan-svc"])
        try #require(usermod.status == 0, "\(usermod.stderr)")

        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 1, "\(undo.stdout)\(undo.stderr)")
        #expect(undo.stdout.contains("user cisco-amp-scan-svc changed since the run: now shell /bin/bash; left as it is"), "\(undo.stdout)")
        #expect(undo.stdout.components(separatedBy: "since the run").count == 2, "said once: \(undo.stdout)")
        #expect(try Self.accounts(sample)[0].contains("cisco-amp-scan-svc:"), "the modified user stays")
        let listing = try AmpfixBinary.run(["undo", "--list", "--root", sample.path]).stdout
        #expect(listing.contains("undone  5 of 5 actions applied, 4 reverted, 1 left on the host"), "\(listing)")
    }

    @Test func anUndoCutShortBetweenUserdelAndGroupdelIsFinished() throws {
        let sample = try SampleHost.build()
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        // What a kill between userdel and groupdel leaves: the user gone, its group still there.
        let userdel = try Command.run("/usr/sbin/userdel", ["--root", sample.path, "cisco-amp-scan-svc"])
        try #require(userdel.status == 0, "\(userdel.stderr)")
        if try Self.accounts(sample)[1].contains("cisco-amp-scan-svc:") == false {
            try #require(try Command.run("/usr/sbin/groupadd", ["--root", sample.path, "-r", "cisco-amp-scan-svc"]).status == 0)
        }

        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(try !Self.accounts(sample)[1].contains("cisco-amp-scan-svc:"), "no orphan group")
    }

    /// The module directories of the sample's store, as `PRIORITY/NAME`.
    static func modules(_ root: TempRoot) throws -> [String] {
        let base = root.at("var/lib/selinux/tiny/active/modules")
        return try FileManager.default.contentsOfDirectory(atPath: base).filter { $0 != "disabled" }.flatMap { priority in
            try FileManager.default.contentsOfDirectory(atPath: base + "/" + priority).map { "\(priority)/\($0)" }
        }.sorted()
    }

    @Test func aKillBetweenLibsemanagesTwoRenamesIsPutBackAndUndone() throws {
        let sample = try SampleHost.build()
        let store = sample.at("var/lib/selinux/tiny")
        let original = try Self.modules(sample)
        try #require(original == ["400/tiny-base"], "the sample's store: \(original)")
        let saved = TempRoot("store-before")
        try FileManager.default.copyItem(atPath: store + "/active", toPath: saved.at("active"))

        let crashed = try AmpfixBinary.run(["--root", sample.path, "--fault", "19", "--policy-module", PackageLayout.policyModule],
                                           environment: ["AMPFIX_TEST_CRASH_INSIDE_ACTION": "1"])
        #expect(crashed.signaled, "status \(crashed.status): \(crashed.stderr)")
        // What libsemanage leaves when killed after renaming active to previous and before
        // renaming its sandbox to active: the new store in the sandbox, the old one in previous.
        try FileManager.default.moveItem(atPath: store + "/active", toPath: store + "/tmp")
        try FileManager.default.copyItem(atPath: saved.at("active"), toPath: store + "/previous")

        let look = try Self.report(try AmpfixBinary.run(["--root", sample.path, "--fault", "19", "--json", "--dry-run", "--policy-module", PackageLayout.policyModule]))
        #expect(look.faults[0].status == .unknown)
        #expect(look.faults[0].evidence.contains { $0.contains("left in the middle of a commit") && $0.contains("mv \(store)/previous \(store)/active") }, "\(look.faults[0].evidence)")
        #expect(!FileManager.default.fileExists(atPath: store + "/active"), "a dry run puts nothing back")

        let next = try Self.report(try AmpfixBinary.run(["--root", sample.path, "--fault", "6", "--json", "--policy-module", PackageLayout.policyModule]))
        #expect(next.recovered.first?.contains("has been completed") == true, "\(next.recovered)")
        #expect(try Self.modules(sample) == ["200/cisco-secure-bpf", "400/tiny-base"], "the interrupted install was finished")
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(try Self.modules(sample) == original)
    }
    /// Any field an admin changed since the run keeps the account (before, only the shell and
    /// the home were compared, and `usermod -c` or `-u` was followed by the account's deletion),
    /// and so does a membership of another group (before, `usermod -aG` was not seen: the
    /// member lists of group and gshadow were not compared).
    @Test(arguments: [["-c", "Changed by admin"], ["-p", "$6$x$changed"], ["-e", "2031-01-01"], ["-u", "995"], ["-a", "-G", "users"]])
    func anAccountChangedInAnyFieldIsLeftAlone(usermod arguments: [String]) throws {
        let sample = try SampleHost.build()
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        let usermod = try Command.run("/usr/sbin/usermod", ["--root", sample.path] + arguments + ["cisco-amp-scan-svc"])
        try #require(usermod.status == 0, "\(usermod.stderr)")
        let changed = try Self.accounts(sample)
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 1, "\(arguments): \(undo.stdout)\(undo.stderr)")
        #expect(undo.stdout.contains("user cisco-amp-scan-svc changed since the run"), "\(undo.stdout)")
        #expect(!undo.stdout.contains("$6$x$changed"), "a password is named, never shown")
        #expect(try Self.accounts(sample) == changed, "\(arguments): the account and its group stay as the admin left them")
    }

    /// glibc skips blanks before a member's name: "users:x:100:root, svc" makes svc a member,
    /// and undo keeps the account (before, it deleted it and left the membership dangling).
    @Test(arguments: [" ", "\t"])
    func memberListsAreReadAsGlibcReadsThem(blank: String) throws {
        let sample = try SampleHost.build()
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        let group = try String(contentsOfFile: sample.at("etc/group"), encoding: .utf8)
        try sample.write("etc/group", group.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("users:") ? line + (line.hasSuffix(":") ? "" : ",") + blank + "cisco-amp-scan-svc" : String(line)
        }.joined(separator: "\n"))
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        let passwd = try String(contentsOfFile: sample.at("etc/passwd"), encoding: .utf8)
        #expect(undo.status == 1 && passwd.contains("cisco-amp-scan-svc:"), "\(undo.stdout)\(undo.stderr)")
        #expect(undo.stdout.contains("member of group users"), "\(undo.stdout)")
    }

    /// The run's group became another user's primary group: before, userdel ran and groupdel
    /// failed (half reverted, exit 1). Both are checked before either is removed.
    @Test func aGroupThatBecameAnotherUsersPrimaryGroupKeepsItsUserToo() throws {
        let sample = try SampleHost.build()
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        let useradd = try Command.run("/usr/sbin/useradd", ["--root", sample.path, "-r", "-M", "-g", "cisco-amp-scan-svc", "cisco-amp-helper"])
        try #require(useradd.status == 0, "\(useradd.stderr)")
        let changed = try Self.accounts(sample)
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 1, "\(undo.stdout)\(undo.stderr)")
        #expect(undo.stdout.contains("group cisco-amp-scan-svc is the primary group of user cisco-amp-helper"), "\(undo.stdout)")
        #expect(try Self.accounts(sample) == changed, "neither the user nor the group was removed")
    }

    /// The user there and only its group deleted (found on a live guest): the repair makes the
    /// group with the user's gid, and undo brings back exactly the start — the group absent and
    /// the user untouched (before, groupdel refused the user's primary group and undo exited 1).
    @Test func aGroupMadeForAUserThatLostItIsUndoneAlone() throws {
        let sample = try SampleHost.build()
        #expect(try AmpfixBinary.run(["--root", sample.path, "--fault", "5"]).status == 0)
        let groupdel = try Command.run("/usr/sbin/groupdel", ["--root", sample.path, "--force", "cisco-amp-scan-svc"])
        try #require(groupdel.status == 0, "\(groupdel.stderr)")
        let start = try Self.accounts(sample)
        let repair = try AmpfixBinary.run(["--root", sample.path, "--fault", "5"])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        #expect(try Self.accounts(sample)[1].contains("cisco-amp-scan-svc:"))
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(try Self.accounts(sample) == start)
    }
    /// The store has the module but the policy built for the kernel is older (a commit cut off
    /// between the two): before, "19 ok" while policy.33 lacked the rule.
    @Test func aBuiltPolicyOlderThanTheStoreIsNotOK() throws {
        let sample = try SampleHost.build()
        let policy = sample.at("etc/selinux/tiny/policy/policy.33")
        let old = try Data(contentsOf: URL(fileURLWithPath: policy))
        let repair = try AmpfixBinary.run(["--root", sample.path, "--fault", "19", "--policy-module", PackageLayout.policyModule])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        try old.write(to: URL(fileURLWithPath: policy))
        let look = try Self.report(try AmpfixBinary.run(["--root", sample.path, "--fault", "19", "--dry-run", "--json", "--policy-module", PackageLayout.policyModule]))
        let fault = try #require(look.faults.first)
        #expect(fault.status == .present, "\(fault.evidence)")
        #expect(fault.evidence.contains { $0.contains("is not the one the module store built") }, "\(fault.evidence)")
        #expect(fault.manualSteps.contains { $0.contains("-B") })
    }
    /// useradd fails part way (strace makes its Nth rename fail with ENOSPC, as a full disk
    /// does): passwd, then shadow, then group written, the rest not. Before, undo said
    /// "1 reverted" and the half-made account stayed; now what the failure left is recorded
    /// and removed, and the account files come back byte for byte.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "skipped: needs strace"), arguments: [2, 3, 4])
    func aHalfMadeAccountIsUndone(failingRename: Int) throws {
        let sample = try SampleHost.build()
        let original = try Self.accounts(sample)
        let repair = try Command.start("/usr/bin/strace", ["-f", "-qq", "-o", "/dev/null", "-e", "trace=rename",
                                                           "-e", "inject=rename:error=ENOSPC:when=\(failingRename)",
                                                           AmpfixBinary.path, "--root", sample.path, "--fault", "5"]).wait(timeout: 120)
        #expect(repair.status == 1, "\(repair.stdout)\(repair.stderr)")
        #expect(try Self.accounts(sample) != original, "useradd left part of the account")
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(undo.stdout.contains("reverted: delete user cisco-amp-scan-svc"), "\(undo.stdout)")
        #expect(try Self.accounts(sample) == original)
    }
    /// libsemanage installs the policy and contexts through `NAME.tmp` files renamed into place:
    /// a kill between leaves them. Finishing the interrupted run removes them, under the store's
    /// transaction lock.
    @Test func theTemporaryFilesOfACommitCutOffAreRemoved() throws {
        let sample = try SampleHost.build()
        let crashed = try AmpfixBinary.run(["--root", sample.path, "--fault", "19", "--policy-module", PackageLayout.policyModule],
                                           environment: ["AMPFIX_TEST_CRASH_INSIDE_ACTION": "1"])
        #expect(crashed.signaled, "status \(crashed.status): \(crashed.stderr)")
        let leftovers = ["etc/selinux/tiny/seusers.tmp", "etc/selinux/tiny/contexts/files/file_contexts.tmp"]
        for file in leftovers { try sample.write(file, "half written") }
        let next = try Self.report(try AmpfixBinary.run(["--root", sample.path, "--fault", "6", "--json", "--policy-module", PackageLayout.policyModule]))
        #expect(next.recovered.first?.contains("has been completed") == true, "\(next.recovered)")
        for file in leftovers { #expect(!FileManager.default.fileExists(atPath: sample.at(file)), "\(file) is gone") }
        let directory = sample.at("var/lib/ampfix/journal")
        let newest = try #require(next.recovered.isEmpty ? nil : try FileManager.default.contentsOfDirectory(atPath: directory).first)
        let journal = try String(contentsOfFile: directory + "/" + newest, encoding: .utf8)
        #expect(journal.contains("removed what a commit cut off left"), "the journal says so")
    }
}
