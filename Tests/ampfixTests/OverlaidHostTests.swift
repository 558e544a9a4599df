import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// The whole of issue 36's promise in one run: a root full of planted programs, hard links and
/// credentials is repaired (fault 5, fault 19), collected and undone inside a private mount
/// namespace where the host's own trees are overlays, so that any write outside the root lands
/// in an upper directory the test then reads. Nothing of the root runs, nothing outside it
/// changes, no credential leaves it, and what could not be done safely is refused.
@Suite(.enabled(if: Privileges.isRoot, "skipped: overlays, mount namespaces and useradd --root need root"))
struct OverlaidHostTests {
    /// The host's trees a defect could write to (/tmp, where the test's roots are, is not one).
    static let trees = ["etc", "var", "opt", "usr", "srv", "root", "home", "boot", "run"]

    /// Runs `commands` (shell) in a private mount namespace with `trees` overlaid; returns the
    /// shell's status and every path written in the overlays, as host paths.
    static func overlaid(_ commands: String, work: TempRoot) throws -> (status: Int32, output: String, written: [String]) {
        let unshare = try #require(Programs.locate("unshare")), bash = try #require(Programs.locate("bash"))
        var setup = ""
        for tree in trees where access("/" + tree, F_OK) == 0 {
            let upper = work.at("\(tree)/upper"), scratch = work.at("\(tree)/work")
            try FileManager.default.createDirectory(atPath: upper, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            setup += "mount -t overlay overlay -o lowerdir=/\(tree),upperdir=\(upper),workdir=\(scratch) /\(tree) || exit 99\n"
        }
        let result = try Command.run(unshare, ["--mount", "--propagation", "private", bash, "-c", setup + commands])
        var written: [String] = []
        for tree in trees {
            guard let found = FileManager.default.enumerator(atPath: work.at("\(tree)/upper")) else { continue }
            while let path = found.nextObject() as? String { written.append("/\(tree)/\(path)") }
        }
        return (result.status, result.stdout + result.stderr, written)
    }

    static func quoted(_ words: [String]) -> String { ShellCommand.line(words) }

    @Test func aHostileRootIsRepairedCollectedAndUndoneWithNothingRunAndNothingOutsideChanged() throws {
        guard Programs.locate("gcc") != nil, Programs.locate("unshare") != nil, Programs.locate("bash") != nil else {
            print("skipped aHostileRootIsRepairedCollectedAndUndone…: needs gcc, unshare and bash (scripts/deps.sh installs them)")
            return
        }
        let outside = TempRoot("overlaid-outside")
        let witness = outside.at("ran")
        let program = try HostileRootTests.witnessProgram(in: outside, witnesses: [witness])
        let marker = "AMPFIX-OVERLAY-SECRET"
        try outside.write("decoy", "a file outside the root: \(marker)0\n")
        let decoy = FileManager.default.contents(atPath: outside.at("decoy"))

        // Phase 1: a root that can be repaired, full of plants that must do nothing.
        let sample = try SampleHost.build()
        for name in ["usr/sbin/nscd", "usr/sbin/sss_cache", "usr/local/sbin/userdel-cmd", "usr/bin/dkms", "sbin/modprobe"] {
            try sample.makeDirectory((name as NSString).deletingLastPathComponent)
            #expect(FileManager.default.createFile(atPath: sample.at(name), contents: program, attributes: [.posixPermissions: 0o755]))
        }
        try sample.append("etc/login.defs", "USERDEL_CMD /usr/local/sbin/userdel-cmd\n")
        for (path, text) in ["root/.aws/credentials": "aws_secret_access_key = \(marker)1\n",
                             "var/log/cisco/credentials": "token \(marker)2\n",
                             "etc/wpa_supplicant/wpa_supplicant.conf": "psk=\"\(marker)3\"\n"] {
            try sample.write(path, text, mode: 0o600)
        }
        try sample.append("etc/os-release", "API_TOKEN=\(marker)4\n")
        // Hard links to a file outside: among the logs, and in the root's home.
        unlink(sample.at("var/log/cisco/ampscansvc.log"))
        #expect(link(outside.at("decoy"), sample.at("var/log/cisco/ampscansvc.log")) == 0)
        try sample.makeDirectory("root/.ssh")
        #expect(link(outside.at("decoy"), sample.at("root/.ssh/id_rsa")) == 0)
        let bundle = outside.at("bundle.tgz")
        let ampfix = [AmpfixBinary.path, "--root", sample.path] + HostileRootTests.ownData
        let steps = [
            ("repair", ampfix + ["--fault", "5"]),
            ("selinux", ampfix + ["--fault", "19"]),
            ("collect", [AmpfixBinary.path, "collect", "--root", sample.path, "-o", bundle]),
            // Each undo takes back the newest run: fault 19's, then fault 5's.
            ("undo-19", [AmpfixBinary.path, "undo", "--root", sample.path]),
            ("undo-5", [AmpfixBinary.path, "undo", "--root", sample.path]),
        ]
        let script = steps.map { name, words in "\(Self.quoted(words)) > \(outside.at(name)).out 2>&1; echo $? > \(outside.at(name)).status" }
            .joined(separator: "\n")
        // The overlays see a write outside (a probe the test makes itself), or the test could not fail.
        // Made only where the overlay is mounted (mountpoint), so never on the host's own tree.
        let probe = "/\(Self.trees[1])/ampfix-overlay-probe-\(getpid())"
        let first = try Self.overlaid("mountpoint -q /\(Self.trees[1]) && : > \(probe)\n" + script, work: TempRoot("overlays"))
        #expect(first.status == 0, "\(first.output)")
        #expect(first.written.contains(probe), "the overlays saw no write: \(first.written)")
        func status(_ name: String) -> String {
            ((try? String(contentsOfFile: outside.at(name) + ".status", encoding: .utf8)) ?? "?").trimming()
        }
        func output(_ name: String) -> String { (try? String(contentsOfFile: outside.at(name) + ".out", encoding: .utf8)) ?? "" }
        #expect(status("repair") == "0", "\(output("repair"))")
        #expect(status("selinux") == "0", "\(output("selinux"))")
        #expect(status("collect") == "0", "\(output("collect"))")
        #expect(status("undo-19") == "0" && status("undo-5") == "0", "\(output("undo-19"))\(output("undo-5"))")
        #expect(first.written.filter { $0 != probe }.isEmpty, "written outside the root: \(first.written)")
        #expect(access(witness, F_OK) != 0, "a program of the root ran: \(String(decoding: FileManager.default.contents(atPath: witness) ?? Data(), as: UTF8.self))")
        #expect(FileManager.default.contents(atPath: outside.at("decoy")) == decoy, "the file outside changed")
        let passwd = try String(contentsOfFile: sample.at("etc/passwd"), encoding: .utf8)
        #expect(!passwd.contains("cisco-amp-scan-svc:"), "made by the repair, removed by the undo")
        let tar = try #require(Programs.locate("tar"))
        let listed = try Command.run(tar, ["-xzOf", bundle])
        #expect(listed.status == 0 && listed.stdout.contains("cisco-amp-scan-svc"), "\(listed.stderr)")
        #expect(!listed.stdout.contains(marker), "a credential left the root in the bundle")

        // Phase 2: plants that make the repairs unsafe are refused, and still nothing runs or
        // changes outside.
        let hostile = try SampleHost.build()
        unlink(hostile.at("etc/passwd-"))
        #expect(link(outside.at("decoy"), hostile.at("etc/passwd-")) == 0)
        #expect(link(outside.at("decoy"), hostile.at("etc/selinux/tiny/policy/policy.33.tmp")) == 0)
        try hostile.append("etc/selinux/semanage.conf", "[verify kernel]\npath = \(witness)\nargs = x\n[end]\n")
        let refused = [AmpfixBinary.path, "--root", hostile.path] + HostileRootTests.ownData + ["--all"]
        let second = try Self.overlaid("\(Self.quoted(refused)) > \(outside.at("refused")).out 2>&1; echo $? > \(outside.at("refused")).status",
                                       work: TempRoot("overlays"))
        #expect(second.status == 0, "\(second.output)")
        #expect(status("refused") != "0", "\(output("refused"))")
        #expect(output("refused").contains("hard links"), "\(output("refused"))")
        #expect(second.written.isEmpty, "written outside the root: \(second.written)")
        #expect(access(witness, F_OK) != 0, "a program ran")
        #expect(FileManager.default.contents(atPath: outside.at("decoy")) == decoy, "the file outside changed")
    }
}
