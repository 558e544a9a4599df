import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// Fault 19 through real libsemanage on real stores under temp roots.
@Suite struct SELinuxModuleTests {
    static func store(_ kind: String) throws -> TempRoot {
        let root = TempRoot("selinux")
        let result = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/selinux-store.sh", root.path, kind])
        precondition(result.status == 0, "selinux-store.sh failed: \(result.stdout)\(result.stderr)")
        return root
    }

    static func ampfix(_ root: TempRoot, _ extra: [String] = [], module: String = PackageLayout.policyModule) throws -> CommandResult {
        try AmpfixBinary.run(["--root", root.path, "--fault", "19", "--json", "--policy-module", module] + extra)
    }

    static func report(_ result: CommandResult) throws -> FaultReport {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)).faults[0]
    }

    /// The bpf allow rules of the store's built policy, as sesearch (setools) prints them.
    static func bpfRules(_ root: TempRoot, store: String) throws -> String {
        let directory = root.at("etc/selinux/\(store)/policy")
        let policy = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("policy.") }.sorted().last)
        return try Command.run("/usr/bin/sesearch", ["-A", "-c", "bpf", directory + "/" + policy]).stdout
    }

    static func semodule(_ root: TempRoot, store: String, _ arguments: [String]) throws -> CommandResult {
        try Command.run("/usr/sbin/semodule", ["-p", root.path, "-s", store, "-N"] + arguments)
    }

    /// `semodule --list-modules=full` fields of one module: priority, name, language[, disabled].
    static func listing(_ root: TempRoot, store: String, _ name: String) throws -> [String]? {
        try semodule(root, store: store, ["--list-modules=full"]).stdout.split(separator: "\n")
            .map { $0.split(separator: " ").map(String.init) }
            .first { $0.count > 1 && $0[1] == name }
    }

    static let rule = "allow unconfined_service_t unconfined_service_t:bpf { map_create map_read map_write prog_load prog_run };"

    @Test func installsIntoAFreshStoreAndTheRuleIsInThePolicy() throws {
        let root = try Self.store("tiny")
        #expect(try !Self.bpfRules(root, store: "tiny").contains(Self.rule))
        let result = try Self.ampfix(root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let fault = try Self.report(result)
        #expect(fault.initialStatus == .present && fault.status == .ok)
        #expect(fault.actions.map(\.kind) == [.policyModule])
        #expect(fault.evidence.contains("the policy grants unconfined_service_t self:bpf { map_create map_read map_write prog_load prog_run }"))
        #expect(try Self.bpfRules(root, store: "tiny").contains(Self.rule))
        #expect(try Self.listing(root, store: "tiny", "cisco-secure-bpf") == ["200", "cisco-secure-bpf", "cil"])
        #expect(!result.stderr.contains("libsemanage"), "library messages are captured, not printed")

        // Undo removes what the run installed, and the rule with it.
        #expect(try AmpfixBinary.run(["undo", "--root", root.path]).status == 0)
        #expect(try Self.listing(root, store: "tiny", "cisco-secure-bpf") == nil)
        #expect(try !Self.bpfRules(root, store: "tiny").contains(Self.rule))
    }

    @Test func aDisabledModuleIsEnabledAndUndoDisablesItAgain() throws {
        let root = try Self.store("tiny")
        #expect(try Self.ampfix(root).status == 0)
        #expect(try Self.semodule(root, store: "tiny", ["-d", "cisco-secure-bpf"]).status == 0)
        #expect(try !Self.bpfRules(root, store: "tiny").contains(Self.rule))

        let result = try Self.ampfix(root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let fault = try Self.report(result)
        #expect(fault.actions.first?.summary.hasPrefix("enable SELinux module cisco-secure-bpf") == true)
        #expect(try Self.bpfRules(root, store: "tiny").contains(Self.rule))

        #expect(try AmpfixBinary.run(["undo", "--root", root.path]).status == 0)
        #expect(try Self.listing(root, store: "tiny", "cisco-secure-bpf") == ["200", "cisco-secure-bpf", "cil", "disabled"])
        // The first run's install is not undone: the module was disabled by hand after it.
        let older = try AmpfixBinary.run(["undo", "--root", root.path])
        #expect(older.status == 1)
        #expect(older.stdout.contains("changed since the run"))
        #expect(try Self.listing(root, store: "tiny", "cisco-secure-bpf") == ["200", "cisco-secure-bpf", "cil", "disabled"])
    }

    @Test func aDifferentVersionIsReplacedAtItsPriority() throws {
        let root = try Self.store("tiny")
        let old = root.at("cisco-secure-bpf.cil")
        try "(optional cisco_secure_bpf (allow unconfined_service_t self (bpf (map_create))))\n".write(toFile: old, atomically: false, encoding: .utf8)
        #expect(try Self.semodule(root, store: "tiny", ["-X", "400", "-i", old]).status == 0)
        let result = try Self.ampfix(root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let fault = try Self.report(result)
        #expect(fault.actions.first?.summary.hasPrefix("replace SELinux module cisco-secure-bpf") == true)
        #expect(try Self.listing(root, store: "tiny", "cisco-secure-bpf") == ["400", "cisco-secure-bpf", "cil"])
        #expect(try Self.bpfRules(root, store: "tiny").contains(Self.rule))
    }

    @Test func theRefpolicyStoreTakesTheModuleButTheRuleIsInert() throws {
        try #require(FileManager.default.fileExists(atPath: "/var/lib/selinux/default/active"), "selinux-policy-default is not installed")
        let root = try Self.store("default")
        let result = try Self.ampfix(root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let fault = try Self.report(result)
        #expect(fault.status == .ok)
        #expect(fault.actions.first?.outcome == .applied)
        #expect(fault.evidence.contains { $0.hasPrefix("unconfined_service_t is not defined in this policy, so the rule is inert here") })
        #expect(try Self.semodule(root, store: "default", ["-l"]).stdout.contains("cisco-secure-bpf"))
        #expect(try Self.bpfRules(root, store: "default").contains("unconfined_service_t") == false)
    }

    @Test func aSecondRunCommitsNothing() throws {
        let root = try Self.store("tiny")
        #expect(try Self.ampfix(root).status == 0)
        let store = TreeSnapshot.take(root.at("var/lib/selinux"))
        let policy = TreeSnapshot.take(root.at("etc/selinux"))
        let again = try Self.ampfix(root)
        #expect(again.status == 0)
        #expect(try Self.report(again).actions.isEmpty)
        #expect(TreeSnapshot.take(root.at("var/lib/selinux")) == store, "store files (content and mtime) untouched")
        #expect(TreeSnapshot.take(root.at("etc/selinux")) == policy, "policy.* untouched")
    }

    @Test func dryRunLeavesTheStoreByteIdentical() throws {
        let root = try Self.store("tiny")
        let before = TreeSnapshot.take(root.path)
        let result = try Self.ampfix(root, ["--dry-run"])
        #expect(result.status == 1)
        let fault = try Self.report(result)
        #expect(fault.actions.map(\.outcome) == [.planned])
        #expect(TreeSnapshot.take(root.path) == before)
    }

    @Test func aCorruptOrForeignModuleIsRefusedAndTheStoreIsUnchanged() throws {
        let root = try Self.store("tiny")
        let files = [
            ("broken.cil", "(optional cisco_secure_bpf (allow unconfined_service_t self (bpf (map_create\n"),
            ("foreign.pp", "\u{7f}ELF not a policy"),
            ("notes.cil", "hello\n"),
            ("module.txt", "(allow a b (c (d)))\n"),
        ]
        let before = TreeSnapshot.take(root.at("var/lib/selinux")) + TreeSnapshot.take(root.at("etc/selinux"))
        for (name, text) in files {
            try text.write(toFile: root.at(name), atomically: false, encoding: .utf8)
            let result = try Self.ampfix(root, module: root.at(name))
            #expect(result.status == 1)
            let fault = try Self.report(result)
            #expect(fault.actions.isEmpty, "\(name)")
            #expect(fault.evidence.contains { $0.contains("cannot repair: \(root.at(name))") }, "\(name): \(fault.evidence)")
            #expect(!result.stderr.contains("libsemanage") && !result.stderr.contains("Open parenthesis"), "messages captured: \(result.stderr)")
        }
        #expect(TreeSnapshot.take(root.at("var/lib/selinux")) + TreeSnapshot.take(root.at("etc/selinux")) == before)
    }

    @Test func aModuleThatFailsToBuildLeavesTheActiveStoreAlone() throws {
        let root = try Self.store("tiny")
        // Valid CIL, but it names a class the policy lacks, outside any optional block.
        let foreign = root.at("foreign.cil")
        try "(allow unconfined_service_t self (no_such_class (read)))\n".write(toFile: foreign, atomically: false, encoding: .utf8)
        let active = TreeSnapshot.take(root.at("var/lib/selinux/tiny/active"))
        let policy = TreeSnapshot.take(root.at("etc/selinux"))
        let result = try Self.ampfix(root, module: foreign)
        #expect(result.status == 1)
        let fault = try Self.report(result)
        #expect(fault.actions.first?.outcome == .failed)
        #expect(fault.actions.first?.reason?.contains("cannot commit the changes to store tiny") == true, "\(fault.actions)")
        #expect(fault.actions.first?.reason?.contains("Failed to resolve") == true, "libsepol's reason is shown: \(fault.actions)")
        #expect(!FileManager.default.fileExists(atPath: root.at("var/lib/selinux/tiny/tmp")), "no half-built transaction is left")
        #expect(!result.stderr.contains("libsemanage"), "messages captured: \(result.stderr)")
        #expect(TreeSnapshot.take(root.at("var/lib/selinux/tiny/active")) == active)
        #expect(TreeSnapshot.take(root.at("etc/selinux")) == policy)

        // A monitoring check now says the repair failed, from the journal: CRITICAL.
        let check = try AmpfixBinary.run(["check", "--root", root.path, "--policy-module", foreign, "19"])
        #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("AMPFIX CRITICAL - repair failed in run "), "\(check.stdout)")
        #expect(check.stdout.contains("\nfault 19 repair failed: cannot commit the changes to store tiny"), "\(check.stdout)")
        #expect(TreeSnapshot.take(root.at("var/lib/selinux/tiny/active")) == active, "a check changes nothing")
    }

    @Test func aPolicyPackageBuiltFromTheTeSourceInstallsToo() throws {
        let root = try Self.store("tiny")
        let build = root.at("build")
        try FileManager.default.createDirectory(atPath: build, withIntermediateDirectories: true)
        for file in ["Makefile", "cisco-secure-bpf.te", "cisco-secure-bpf.fc"] {
            try FileManager.default.copyItem(atPath: PackageLayout.root + "/policy/" + file, toPath: build + "/" + file)
        }
        let make = try Command.run("/usr/bin/make", ["-C", build])
        try #require(make.status == 0, "\(make.stdout)\(make.stderr)")
        let result = try Self.ampfix(root, module: build + "/cisco-secure-bpf.pp")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try Self.bpfRules(root, store: "tiny").contains(Self.rule))
    }

    @Test func aModuleThatInstallsButGrantsTooLittleIsNotOk() throws {
        let root = try Self.store("tiny")
        let partial = root.at("partial.cil")
        try "(optional cisco_secure_bpf_partial (allow unconfined_service_t self (bpf (map_create))))\n".write(toFile: partial, atomically: false, encoding: .utf8)
        let result = try Self.ampfix(root, module: partial)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let fault = try Self.report(result)
        #expect(fault.actions.first?.outcome == .applied)
        #expect(fault.status == .present, "the computed decision says the connector is still blocked")
        #expect(fault.evidence.contains("the policy does not grant unconfined_service_t self:bpf { map_read map_write prog_load prog_run }"), "\(fault.evidence)")
        #expect(fault.evidence.contains { $0.hasPrefix("cisco-secure-bpf is in place, yet the policy denies map_read map_write prog_load prog_run") }, "\(fault.evidence)")
    }

    @Test func aPolicyTypeThatIsAPathIsAFindingNotAPath() throws {
        // A store outside the root that a path-like SELINUXTYPE would reach.
        let parent = TempRoot("selinux-escape")
        try parent.makeDirectory("root/etc/selinux")
        try parent.write("root/etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=../../../outside\n")
        try parent.makeDirectory("outside")
        let before = TreeSnapshot.take(parent.path)
        let result = try AmpfixBinary.run(["--root", parent.at("root"), "--fault", "19", "--json", "--dry-run", "--policy-module", PackageLayout.policyModule])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        let fault = try Self.report(result)
        #expect(fault.status == .unknown)
        #expect(fault.evidence.contains { $0.contains("SELINUXTYPE='../../../outside' is not a policy name") }, "\(fault.evidence)")
        #expect(TreeSnapshot.take(parent.path) == before)
    }

    @Test func aLockedStoreIsWaitedForWithinTheTimeout() throws {
        let root = try Self.store("tiny")
        let lock = root.at("var/lib/selinux/tiny/semanage.trans.LOCK")
        let holder = try Command.start("/usr/bin/flock", [lock, "/bin/sleep", "2"])
        usleep(300_000)
        let gaveUp = try Self.ampfix(root, ["--lock-timeout", "0.5"])
        #expect(gaveUp.status == 1)
        let fault = try Self.report(gaveUp)
        #expect(fault.actions.first?.reason?.contains("has held its transaction lock") == true, "\(fault.actions)")
        let waited = try Self.ampfix(root, ["--lock-timeout", "20"])
        #expect(waited.status == 0, "\(waited.stdout)\(waited.stderr)")
        _ = holder.wait()
    }
}
