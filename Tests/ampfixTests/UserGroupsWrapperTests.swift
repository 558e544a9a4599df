import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import CLinux
import Foundation
import Glibc
import Testing

/// `ampfix with-user-groups -- COMMAND`: login.defs is back byte for byte whatever happens.
@Suite struct UserGroupsWrapperTests {
    struct Variant: Sendable, CustomStringConvertible {
        var name: String
        var text: String?
        var description: String { name }
    }

    static let variants: [Variant] = [
        Variant(name: "no", text: "# hardened\nUID_MIN 1000\nUSERGROUPS_ENAB no\nUMASK 077\n"),
        Variant(name: "missing", text: "UID_MIN 1000\nUMASK 077\n"),
        Variant(name: "commented", text: "#USERGROUPS_ENAB yes\nUMASK 077\n"),
        Variant(name: "lowercase", text: "usergroups_enab yes\n"),
        Variant(name: "odd spacing", text: "\t USERGROUPS_ENAB   \t\"no\"  \n# end"),
        Variant(name: "CRLF", text: "UMASK 077\r\nUSERGROUPS_ENAB no\r\n"),
        Variant(name: "absent", text: nil),
    ]

    /// A root with login.defs (mode 0640, group 42, a user xattr standing in for an SELinux label).
    static func root(_ text: String?) throws -> TempRoot {
        let root = TempRoot("wrapper")
        try root.makeDirectory("etc")
        if let text {
            try root.write("etc/login.defs", text, mode: 0o640)
            if Privileges.isRoot { chown(root.at("etc/login.defs"), 0, 42) }
            _ = setxattr(root.at("etc/login.defs"), "user.ampfix-label", "system_u:object_r:etc_t:s0", 27, 0)
        }
        return root
    }

    /// Content, mode, owner and extended attributes of login.defs (nil when absent).
    static func state(_ root: TempRoot) -> String? {
        guard let data = FileManager.default.contents(atPath: root.at("etc/login.defs")),
              let attributes = root.attributes("etc/login.defs") else { return nil }
        var label = [UInt8](repeating: 0, count: 64)
        let size = getxattr(root.at("etc/login.defs"), "user.ampfix-label", &label, label.count)
        return "\(data.base64EncodedString()) mode=\(String(attributes.mode, radix: 8)) owner=\(attributes.uid):\(attributes.gid) label=\(size > 0 ? String(decoding: label[..<size], as: UTF8.self) : "-")"
    }

    static func waitFor(_ path: String, seconds: Double = 10) {
        let deadline = Date().addingTimeInterval(seconds)
        while !FileManager.default.fileExists(atPath: path) && Date() < deadline { usleep(20_000) }
    }

    @Test(arguments: variants)
    func settingHoldsForTheCommandAndComesBackByteForByte(_ variant: Variant) throws {
        let root = try Self.root(variant.text)
        let before = Self.state(root)
        let result = try AmpfixBinary.run(["with-user-groups", "--root", root.path, "--", "/bin/sh", "-c", "cat \(root.at("etc/login.defs")) > \(root.at("during")); exit 3"])
        #expect(result.status == 3, "the command's status: \(result.stderr)")
        let during = try String(contentsOfFile: root.at("during"), encoding: .utf8)
        #expect(LoginDefs(path: "during", text: during).userGroupsEnabled, "while the command ran:\n\(during)")
        if let text = variant.text {
            // Only the one key changed.
            let changed = zip(text.utf8.split(separator: 10, omittingEmptySubsequences: false), during.utf8.split(separator: 10,
                    omittingEmptySubsequences: false)).filter { $0 != $1 }
            #expect(changed.count <= 1)
        }
        #expect(Self.state(root) == before, "login.defs after the command")
        #expect(result.stderr.contains("restored byte for byte"))
    }

    /// ampfix reads login.defs as useradd does, long lines in 1023-byte pieces: a comment that
    /// ends, past its 1023rd byte, in "USERGROUPS_ENAB no" turns useradd's own group off (the
    /// real useradd shows it), ampfix says so, and with-user-groups' edit takes for useradd.
    @Test func aLongLineIsReadAsUseraddReadsIt() throws {
        guard Privileges.isRoot, let useradd = Programs.locate("useradd") else {
            print("skipped aLongLineIsReadAsUseraddReadsIt: needs root and useradd (useradd --root)")
            return
        }
        // shadow-utils reads with fgets into char buf[1024]: 1023 bytes a piece.
        let long = "#" + String(repeating: "x", count: 1022) + "USERGROUPS_ENAB no\n"
        let root = try Self.root("USERGROUPS_ENAB yes\n" + long)
        try root.write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        try root.write("etc/group", "root:x:0:\nusers:x:100:\n")
        try root.write("etc/shadow", "root:*:19000:0:99999:7:::\n", mode: 0o600)
        try root.write("etc/gshadow", "root:*::\nusers:*::\n", mode: 0o600)
        let defs = LoginDefs(path: "login.defs", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: root.at("etc/login.defs")))))
        #expect(!defs.userGroupsEnabled, "ampfix reads the setting off")
        let plain = try Command.run(useradd, ["--root", root.path, "-M", "-N", "-g", "100", "probe1"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let direct = try Command.run(useradd, ["--root", root.path, "-M", "probe2"])
        #expect(direct.status == 0, "\(direct.stderr)")
        let before = Self.state(root)
        let wrapped = try AmpfixBinary.run(["with-user-groups", "--root", root.path, "--", useradd, "--root", root.path, "-M", "probe3"])
        #expect(wrapped.status == 0, "\(wrapped.stderr)")
        let group = try String(contentsOfFile: root.at("etc/group"), encoding: .utf8)
        #expect(!group.contains("probe2:"), "useradd itself read USERGROUPS_ENAB no from the long line:\n\(group)")
        #expect(group.contains("probe3:"), "with-user-groups' edit took for useradd:\n\(group)")
        #expect(Self.state(root) == before, "login.defs back byte for byte")
    }

    @Test func alreadyYesLeavesTheFileAlone() throws {
        let root = try Self.root("USERGROUPS_ENAB yes\n")
        let before = TreeSnapshot.take(root.path)
        let result = try AmpfixBinary.run(["with-user-groups", "--root", root.path, "--", "/bin/true"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("USERGROUPS_ENAB yes at /etc/login.defs:1: login.defs was left as it is"))
        #expect(TreeSnapshot.take(root.path, excluding: ["run"]).dropFirst() == before.dropFirst())
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func aSignalIsPassedOnAndTheFileStillComesBack(_ signal: Int32) throws {
        let root = try Self.root("USERGROUPS_ENAB no\n")
        let before = Self.state(root)
        // The sleep is killed in the trap: a leftover child would keep the test runner waiting.
        let script = "sleep 30 & child=$!; trap 'kill $child; echo caught > \(root.at("caught")); exit 7' \(signal); touch \(root.at("started")); wait"
        let running = try AmpfixBinary.start(["with-user-groups", "--root", root.path, "--", "/bin/sh", "-c", script])
        Self.waitFor(root.at("started"))
        kill(running.pid, signal)
        let result = running.wait()
        #expect(result.status == 7, "ampfix exits with the command's status: \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.at("caught")), "the command got the signal")
        #expect(Self.state(root) == before)
    }

    @Test func afterSIGKILLTheNextRunRestoresFirst() throws {
        let root = try Self.root("# x\nUSERGROUPS_ENAB no\n")
        let before = Self.state(root)
        let running = try AmpfixBinary.start(["with-user-groups", "--root", root.path, "--", "/bin/sh", "-c", "echo $$ > \(root.at("started")); exec sleep 30"])
        Self.waitFor(root.at("started"))
        usleep(100_000)
        kill(running.pid, SIGKILL)
        // The command outlives ampfix; end it too so that the runner does not wait for it.
        if let pid = Int32((try? String(contentsOfFile: root.at("started"),
                                        encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") { kill(pid, SIGKILL) }
        _ = running.wait()
        #expect(Self.state(root) != before, "still changed after ampfix died")

        let next = try AmpfixBinary.run(["--root", root.path, "--fault", "6", "--json"])
        let report = try JSONDecoder().decode(Report.self, from: Data(next.stdout.utf8))
        #expect(report.recovered.count == 1)
        #expect(report.recovered.first?.contains("rolled back") == true)
        #expect(Self.state(root) == before)
    }

    @Test func anInstallerThatOutlivesAKilledAmpfixKeepsItsSettingUntilItEnds() throws {
        let root = try Self.root("# x\nUSERGROUPS_ENAB no\n")
        let before = Self.state(root)
        // The installer reads login.defs after ampfix is gone, as a slow useradd would.
        let script = "echo $$ > \(root.at("started")); while [ ! -e \(root.at("go")) ]; do sleep 0.05; done; cat \(root.at("etc/login.defs")) > \(root.at("seen"))"
        let running = try AmpfixBinary.start(["with-user-groups", "--root", root.path, "--", "/bin/sh", "-c", script])
        Self.waitFor(root.at("started"))
        usleep(100_000)
        kill(running.pid, SIGKILL)
        // (Waited for only once the installer is done: the runner waits for its whole output.)

        // Another ampfix while the installer still runs: the run is claimed, nothing is rolled back.
        let meanwhile = try JSONDecoder().decode(Report.self, from: Data(try AmpfixBinary.run(["--root", root.path, "--fault", "6", "--json"]).stdout.utf8))
        #expect(meanwhile.recovered.isEmpty, "\(meanwhile.recovered)")
        #expect(FileManager.default.createFile(atPath: root.at("go"), contents: nil))
        Self.waitFor(root.at("seen"))
        _ = running.wait()
        usleep(200_000)
        #expect(LoginDefs(path: "seen", text: try String(contentsOfFile: root.at("seen"), encoding: .utf8)).userGroupsEnabled,
                "the installer still saw USERGROUPS_ENAB yes")

        // The installer is gone: the next run restores the file.
        let after = try JSONDecoder().decode(Report.self, from: Data(try AmpfixBinary.run(["--root", root.path, "--fault", "6", "--json"]).stdout.utf8))
        #expect(after.recovered.first?.contains("rolled back") == true, "\(after.recovered)")
        #expect(Self.state(root) == before)
    }

    @Test func ampfixRunsStartedByTheCommandAreNotBlockedAndDoNotRollBack() throws {
        let root = try Self.root("USERGROUPS_ENAB no\n")
        let before = Self.state(root)
        // As a package hook inside the installer would: run ampfix on the same root.
        let inner = "\(AmpfixBinary.path) --root \(root.path) --fault 6 --lock-timeout 5 > /dev/null 2> \(root.at("inner.err")); echo $? > \(root.at("inner.status")); cat \(root.at("etc/login.defs")) > \(root.at("during"))"
        let result = try AmpfixBinary.run(["with-user-groups", "--root", root.path, "--", "/bin/sh", "-c", inner])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: root.at("inner.status"), encoding: .utf8) == "0\n", "the inner run finished (fault 6 does not apply: no connector in this root): \((try? String(contentsOfFile: root.at("inner.err"), encoding: .utf8)) ?? "")")
        #expect(try String(contentsOfFile: root.at("during"), encoding: .utf8) == "USERGROUPS_ENAB yes\n", "the inner run did not roll back the live change")
        #expect(Self.state(root) == before)
    }

    @Test func aMissingCommandIsAUsageError() throws {
        let root = try Self.root("USERGROUPS_ENAB no\n")
        let result = try AmpfixBinary.run(["with-user-groups", "--root", root.path])
        #expect(result.status == 64)
        let missing = try AmpfixBinary.run(["with-user-groups", "--root", root.path, "--", "/nonexistent/installer"])
        #expect(missing.status == 127)
        #expect(missing.stderr.contains("cannot run /nonexistent/installer"))
        #expect(Self.state(root)?.contains(Data("USERGROUPS_ENAB no\n".utf8).base64EncodedString()) == true)
    }
    /// An installer that edits login.defs itself keeps its edit, and its exit status is ampfix's
    /// (before: exit 2 whatever the installer returned).
    @Test(arguments: [0, 5])
    func anInstallersOwnEditIsKeptAndItsStatusReturned(status: Int32) throws {
        let root = try Self.root("USERGROUPS_ENAB no\n")
        let result = try AmpfixBinary.run(["with-user-groups", "--root", root.path, "--", "/bin/sh", "-c",
                                           "printf 'USERGROUPS_ENAB yes\\nUMASK 027\\n' > \(root.at("etc/login.defs")); exit \(status)"])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains("the command edited login.defs itself"), "\(result.stderr)")
        #expect(try String(contentsOfFile: root.at("etc/login.defs"), encoding: .utf8) == "USERGROUPS_ENAB yes\nUMASK 027\n")
    }
}
