import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// Fault 5's scan account, repaired by the real useradd/groupadd/usermod in fixture roots.
@Suite struct ScanAccountTests {
    enum UserGroups: String, CaseIterable, Sendable {
        case yes, no, missing, commented

        var loginDefs: String {
            let head = "# login.defs fixture\nUID_MIN 1000\nGID_MIN 1000\n"
            switch self {
            case .yes: return head + "USERGROUPS_ENAB yes\n"
            case .no: return head + "USERGROUPS_ENAB no\n"
            case .missing: return head
            case .commented: return head + "#USERGROUPS_ENAB yes\n"
            }
        }
    }

    enum Accounts: String, CaseIterable, Sendable {
        case neither, groupOnly, userOnly, userOnlyGidTaken, wrongGroup, healthy

        var passwd: String {
            switch self {
            case .neither, .groupOnly: return ""
            case .userOnly, .userOnlyGidTaken, .wrongGroup: return "cisco-amp-scan-svc:x:990:100::/opt/cisco/amp:/usr/sbin/nologin\n"
            case .healthy: return "cisco-amp-scan-svc:x:990:990::/opt/cisco/amp:/usr/sbin/nologin\n"
            }
        }

        var group: String {
            switch self {
            case .neither, .userOnly: return ""
            case .userOnlyGidTaken: return "other:x:990:\n"
            case .groupOnly, .wrongGroup, .healthy: return "cisco-amp-scan-svc:x:990:\n"
            }
        }

        var plannedKinds: [String] {
            switch self {
            case .neither, .groupOnly: return ["create-user"]
            case .userOnly, .userOnlyGidTaken: return ["create-group", "set-primary-group"]
            case .wrongGroup: return ["set-primary-group"]
            case .healthy: return []
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var userGroups: UserGroups
        var accounts: Accounts
        var description: String { "USERGROUPS_ENAB \(userGroups), \(accounts)" }
    }

    static let matrix = UserGroups.allCases.flatMap { u in Accounts.allCases.map { Case(userGroups: u, accounts: $0) } }

    static func fixture(loginDefs: String, passwd: String = "", group: String = "", extraShadow: String = "") throws -> TempRoot {
        let root = TempRoot("accounts")
        try root.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n" + passwd)
        try root.write("etc/group", "root:x:0:\nusers:x:100:\n" + group)
        let names = (passwd + group).split(separator: "\n").map { $0.split(separator: ":")[0] }
        let userNames = passwd.split(separator: "\n").map { $0.split(separator: ":")[0] }
        try root.write("etc/shadow", "root:*:20000:0:99999:7:::\n" + userNames.map { "\($0):!:20000::::::\n" }.joined() + extraShadow, mode: 0o640)
        try root.write("etc/gshadow", "root:*::\nusers:*::\n" + Set(names).filter { n in group.contains("\(n):x") }.map { "\($0):!::\n" }.joined(), mode: 0o640)
        try root.write("etc/login.defs", loginDefs)
        try root.write("usr/sbin/nologin", "#!/bin/sh\nexit 1\n", mode: 0o755)
        try root.makeDirectory("opt/cisco/amp")  // the connector is installed
        return root
    }

    func report(_ result: CommandResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    func line(_ root: TempRoot, _ file: String, _ name: String) throws -> [String]? {
        try String(contentsOfFile: root.at(file), encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
            .first { $0.first == name }
    }

    @Test(.enabled(if: Privileges.isRoot, "skipped: useradd --root needs root"), arguments: matrix)
    func repairMatrix(_ c: Case) throws {
        let root = try Self.fixture(loginDefs: c.userGroups.loginDefs, passwd: c.accounts.passwd, group: c.accounts.group)
        let loginDefs = try Data(contentsOf: URL(fileURLWithPath: root.at("etc/login.defs")))
        let untouched = TreeSnapshot.take(root.path)

        // Diagnosis and plan, without changing anything.
        let preview = try report(try AmpfixBinary.run(["--root", root.path, "--fault", "5", "--dry-run", "--json"]))
        #expect(TreeSnapshot.take(root.path) == untouched, "dry-run changed the root")
        let fault = preview.faults[0]
        #expect(fault.status == (c.accounts == .healthy ? .ok : .present))
        #expect(fault.actions.map(\.kind.rawValue) == c.accounts.plannedKinds)
        #expect(fault.actions.allSatisfy { $0.outcome == .planned })
        if c.accounts == .neither || c.accounts == .userOnly {
            #expect(fault.evidence.contains { $0.contains("USERGROUPS_ENAB") })
        }
        if c.accounts == .userOnlyGidTaken {
            #expect(fault.evidence.contains { $0.contains("gid 990 (the user's uid) is taken by group other at /etc/group:3") })
        }

        // The repair, with the real tools.
        let repair = try AmpfixBinary.run(["--root", root.path, "--fault", "5", "--json"])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        let repaired = try report(repair)
        #expect(repaired.faults[0].status == .ok)
        #expect(repaired.faults[0].actions.allSatisfy { $0.outcome == .applied }, "\(repaired.faults[0].actions)")
        let user = try #require(try line(root, "etc/passwd", "cisco-amp-scan-svc"))
        let group = try #require(try line(root, "etc/group", "cisco-amp-scan-svc"))
        #expect(user[3] == group[2], "primary gid \(user[3]) is the group's \(group[2])")
        if c.accounts == .neither {
            #expect(user[2] == group[2], "a new user group gets the user's id")
            #expect(user[6] == "/usr/sbin/nologin" && user[5] == "/opt/cisco/amp")
            #expect(try line(root, "etc/shadow", "cisco-amp-scan-svc")?[1].hasPrefix("!") == true)
        }
        if c.accounts == .userOnlyGidTaken {
            #expect(group[2] != "990")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: root.at("etc/login.defs"))) == loginDefs, "login.defs changed")

        // A second run has nothing to do.
        let again = try report(try AmpfixBinary.run(["--root", root.path, "--fault", "5", "--json"]))
        #expect(again.faults[0].actions.isEmpty)
        #expect(again.exitCode == 0)

        // Undo removes only what the run created and puts a primary group back.
        if !c.accounts.plannedKinds.isEmpty {
            let undo = try AmpfixBinary.run(["undo", "--root", root.path])
            #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
            #expect(try String(contentsOfFile: root.at("etc/passwd"), encoding: .utf8) == "root:x:0:0:root:/root:/bin/bash\n" + c.accounts.passwd)
            #expect(try String(contentsOfFile: root.at("etc/group"), encoding: .utf8) == "root:x:0:\nusers:x:100:\n" + c.accounts.group)
        }
    }

    @Test func exhaustedSystemUIDsAreExplainedNotAttempted() throws {
        let root = try Self.fixture(
            loginDefs: "SYS_UID_MIN 500\nSYS_UID_MAX 501\nUSERGROUPS_ENAB no\n",
            passwd: "a:x:500:100::/:/usr/sbin/nologin\nb:x:501:100::/:/usr/sbin/nologin\n")
        let before = TreeSnapshot.take(root.at("etc"))
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", "5", "--json"])
        #expect(result.status == 1)
        let fault = try report(result).faults[0]
        #expect(fault.status == .present)
        #expect(fault.actions.isEmpty)
        #expect(fault.evidence.contains { $0.contains("no free system uid in 500-501 (SYS_UID_MIN/SYS_UID_MAX in /etc/login.defs)") })
        #expect(fault.manualSteps.contains { $0.contains("widen SYS_UID_MIN/SYS_UID_MAX") })
        #expect(TreeSnapshot.take(root.at("etc")) == before)
    }

    @Test func withoutTheConnectorThereIsNothingToCreate() throws {
        let root = try Self.fixture(loginDefs: "USERGROUPS_ENAB no\n")
        try FileManager.default.removeItem(atPath: root.at("opt/cisco"))
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", "5", "--json"])
        #expect(result.status == 0)
        let fault = try report(result).faults[0]
        #expect(fault.status == .notApplicable)
        #expect(fault.actions.isEmpty)
        #expect(fault.evidence.contains("/opt/cisco does not exist: the connector is not installed here"))
        #expect(fault.evidence.contains("user cisco-amp-scan-svc missing from /etc/passwd"))
    }

    @Test(.enabled(if: Privileges.isRoot, "skipped: useradd --root needs root"))
    func malformedLinesAreNamedAndKept() throws {
        let root = try Self.fixture(loginDefs: "USERGROUPS_ENAB no\nusergroups_enab yes\n", passwd: "broken-line-without-fields\n", group: "also:broken\n")
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", "5", "--json"])
        let fault = try report(result).faults[0]
        #expect(fault.evidence.contains("/etc/passwd:2: expected 7 fields, found 1; line ignored"))
        #expect(fault.evidence.contains("/etc/group:3: expected 4 fields, found 2; line ignored"))
        #expect(fault.evidence.contains { $0.hasPrefix("/etc/login.defs:2: 'usergroups_enab' is not read by shadow-utils") })
        #expect(!result.stderr.contains("Fatal"))
        // Whatever the tools did, the files are whole: the malformed lines are still there.
        #expect(try String(contentsOfFile: root.at("etc/passwd"), encoding: .utf8).contains("broken-line-without-fields\n"))
        #expect(try String(contentsOfFile: root.at("etc/group"), encoding: .utf8).contains("also:broken\n"))
    }
}
