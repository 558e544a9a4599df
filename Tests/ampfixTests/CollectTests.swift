import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// `ampfix collect`: the support bundle of the sample host, read back with tar(1).
@Suite struct CollectTests {
    static let ampcli = "opt/cisco/amp/bin/ampcli"

    /// The sample host with what must never be taken planted where the bundle looks.
    static func root() throws -> TempRoot {
        let root = try SampleHost.build()
        for name in ["server.key", "id_rsa", "gshadow-", "client-private.txt"] {
            try "do not take me\n".write(toFile: root.at("var/log/cisco/\(name)"), atomically: false, encoding: .utf8)
        }
        // A link among the logs, under a log's name, to the password hashes: never followed.
        symlink("../../../etc/shadow", root.at("var/log/cisco/amplinked.log"))
        // A 3 MiB log: only its last MiB goes in, from a line start.
        let line = String(repeating: "x", count: 99) + "\n"
        try (String(repeating: line, count: 3 * 10_486) + "the newest line\n")
            .write(toFile: root.at("var/log/cisco/ampdaemon.log"), atomically: false, encoding: .utf8)
        return root
    }

    /// What a bundle may hold: its own files, the host files it names, the connector's logs.
    static func allowed(_ name: String) -> Bool {
        if ["MANIFEST.txt", "report.json", "connector-status.txt", "kernel.txt"].contains(name) { return true }
        let logs = "files" + SupportBundle.logDirectory + "/"
        if name.hasPrefix(logs) { return SupportBundle.isConnectorLog(String(name.dropFirst(logs.count))) }
        return (KernelFacts.osReleasePaths + [ScanUserFault.loginDefsPath, SELinuxConfig.path]).map { "files" + $0 }.contains(name)
    }

    static func tar(_ arguments: [String]) throws -> String {
        let result = try Command.run("/usr/bin/tar", arguments)
        try #require(result.status == 0, "tar \(arguments): \(result.stderr)")
        return result.stdout
    }

    @Test func theBundleHoldsTheReportStatusAndTailsAndNeverKeysOrPasswordFiles() throws {
        let root = try Self.root()
        let out = TempRoot("bundle")
        let bundle = out.at("support.tar.gz")
        let before = TreeSnapshot.take(root.path)
        let result = try AmpfixBinary.run(["collect", "--root", root.path, "--ampcli", root.at(Self.ampcli), "--output", bundle])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(TreeSnapshot.take(root.path) == before, "collecting changes nothing in the root")
        var info = stat()
        try #require(stat(bundle, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)

        let names = try Self.tar(["-tzf", bundle]).split(separator: "\n").map(String.init)
        let top = try #require(names.first?.split(separator: "/").first).description
        let inside = Set(names.map { String($0.dropFirst(top.count + 1)) })
        for expected in ["MANIFEST.txt", "report.json", "connector-status.txt", "kernel.txt", "files/etc/os-release",
                         "files/etc/login.defs", "files/var/log/cisco/ampscansvc.log", "files/var/log/cisco/ampdaemon.log",
                         "files/var/log/cisco/ampdaemon.log.1"] {
            #expect(inside.contains(expected), "\(expected) missing from \(inside.sorted())")
        }
        for name in inside {
            #expect(Self.allowed(name), "\(name) should never be in a bundle")
            #expect(!["shadow", "passwd", "group", "key", "id_rsa", "private", "clamav"].contains(where: name.contains), "\(name)")
        }

        let extracted = out.at("x")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        _ = try Self.tar(["-xzf", bundle, "-C", extracted])
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: "\(extracted)/\(top)/report.json")))
        #expect(report.faults.count == FaultID.allCases.count && report.mode == .diagnose)
        let status = try String(contentsOfFile: "\(extracted)/\(top)/connector-status.txt", encoding: .utf8)
        #expect(status.contains("Fault IDs:"), "\(status)")
        let daemon = try Data(contentsOf: URL(fileURLWithPath: "\(extracted)/\(top)/files/var/log/cisco/ampdaemon.log"))
        #expect(daemon.count <= 1 << 20 && daemon.count > (1 << 20) - 200, "\(daemon.count) bytes")
        #expect(daemon.first == UInt8(ascii: "x") && String(decoding: daemon.suffix(16), as: UTF8.self) == "the newest line\n")

        let manifest = try String(contentsOfFile: "\(extracted)/\(top)/MANIFEST.txt", encoding: .utf8)
        #expect(manifest.contains("\(SupportBundle.logDirectory)/amplinked.log: it leads to \(AccountDatabase.shadowPath) through a symbolic link"), "\(manifest)")
        #expect(!inside.contains("files/var/log/cisco/amplinked.log"))
        for planted in ["server.key", "id_rsa", "gshadow-", "client-private.txt"] {
            #expect(manifest.contains("\(SupportBundle.logDirectory)/\(planted): "), "the manifest names \(planted) as left out:\n\(manifest)")
        }
        #expect(!manifest.contains("ampsupport"), "no connector support tool in the sample")
    }

    /// `collect --lang zh` writes its report.json in Chinese (its messages beside, the same in
    /// every language); before, its evidence was English whatever was asked.
    @Test(.enabled(if: Programs.locate("msgfmt") != nil, "needs gettext's msgfmt (scripts/deps.sh installs it)"))
    func theBundlesReportIsInTheAskedLanguage() throws {
        let root = try Self.root()
        let locale = try TranslationTests.compiledCatalogs()
        let out = TempRoot("bundle")
        let bundle = out.at("support.tar.gz")
        let result = try AmpfixBinary.run(["collect", "--root", root.path, "--lang", "zh", "--output", bundle], environment: ["AMPFIX_LOCALEDIR": locale.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let name = try #require(try Self.tar(["-tzf", bundle]).split(separator: "\n").first { $0.hasSuffix("/report.json") }).description
        let report = try JSONDecoder().decode(Report.self, from: Data(try Self.tar(["-xzOf", bundle, name]).utf8))
        #expect(report.language == .zh)
        let five = try #require(report.faults.first { $0.id == 5 })
        #expect(five.title == "扫描服务用户不可用" && five.evidence.contains("\(AccountDatabase.passwdPath) 中缺少用户 cisco-amp-scan-svc"), "\(five.evidence)")
        #expect(five.evidenceMessages.contains { $0.id == "user %1$s missing from %2$s" })
    }

    @Test func theConnectorsOwnSupportToolIsNamedAndLeftToTheOperator() throws {
        let root = try SampleHost.build()
        let tool = root.at("opt/cisco/amp/bin/ampsupport")
        try "#!/bin/sh\ntouch \"$0.ran\"\n".write(toFile: tool, atomically: false, encoding: .utf8)
        chmod(tool, 0o755)
        let out = TempRoot("bundle")
        let bundle = out.at("b.tgz")
        let result = try AmpfixBinary.run(["collect", "--root", root.path, "-o", bundle])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("/opt/cisco/amp/bin/ampsupport -o DIR"), "\(result.stdout)")
        #expect(access(tool + ".ran", F_OK) != 0, "ampfix never runs the connector's tool")
        #expect(try Self.tar(["-xzOf", bundle, "--wildcards", "*/MANIFEST.txt"]).contains("ampsupport -o DIR"))
    }

    @Test func anExistingFileOrAMissingDirectoryIsRefusedAndNothingIsWritten() throws {
        let root = try SampleHost.build()
        let out = TempRoot("bundle")
        let existing = out.at("old.tar.gz")
        try "keep me".write(toFile: existing, atomically: false, encoding: .utf8)
        let again = try AmpfixBinary.run(["collect", "--root", root.path, "-o", existing])
        #expect(again.status == 64 && again.stderr.contains("exists already"), "\(again.stderr)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        let nowhere = try AmpfixBinary.run(["collect", "--root", root.path, "-o", out.at("no/such/dir/b.tgz")])
        #expect(nowhere.status == 64 && nowhere.stderr.contains("is not a directory"), "\(nowhere.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["old.tar.gz"], "no partial file left")
    }
    /// What goes into a bundle is chosen by what a name leads to, not by the name: before, a
    /// link named os-release or selinux/config took the root's shadow or an SSH key along.
    @Test func linksAndHardLinksToSecretsAreLeftOutByWhatTheyLeadTo() throws {
        let root = try SampleHost.build()
        // Secrets at paths that exist inside the root only: a link followed on the host would
        // lead nowhere, never to the host's own files.
        try root.write("srv/ampfix-test/shadow", "root:$6$salt$0123456789abcdef:19000:0:99999:7:::\n", mode: 0o600)
        try root.write("srv/ampfix-test/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", mode: 0o600)
        try root.write("srv/tls/server.key", "-----BEGIN PRIVATE KEY-----\nBBBB\n", mode: 0o600)
        unlink(root.at("etc/os-release"))
        symlink("/srv/ampfix-test/shadow", root.at("etc/os-release"))
        unlink(root.at("etc/selinux/config"))
        symlink("/srv/ampfix-test/.ssh/id_rsa", root.at("etc/selinux/config"))
        try root.makeDirectory("usr/lib")
        symlink("../../srv/tls/server.key", root.at("usr/lib/os-release"))
        // A hard link has no other name to tell it by: its content is.
        unlink(root.at("etc/login.defs"))
        #expect(link(root.at("srv/ampfix-test/shadow"), root.at("etc/login.defs")) == 0)
        // A log name that would forge a line of the manifest and move the terminal's cursor.
        try "a line\n".write(toFile: root.at("var/log/cisco/evil\u{1b}[2J\nforged: 0 bytes\u{202e}gol.log"), atomically: false, encoding: .utf8)
        // A sparse 2 GiB log whose only line starts before its last MiB.
        let sparse = root.at("var/log/cisco/ampscansvc.log")
        #expect(truncate(sparse, 2 << 30) == 0)
        let tail = try #require(FileHandle(forWritingAtPath: sparse))
        tail.seek(toFileOffset: (2 << 30) - 8)
        tail.write(Data("the end\n".utf8))
        try tail.close()

        let out = TempRoot("bundle")
        let bundle = out.at("support.tar.gz")
        let result = try AmpfixBinary.run(["collect", "--root", root.path, "--output", bundle])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("\u{1b}") && !result.stdout.contains("\u{202e}"), "the terminal gets escapes, not the raw bytes")
        let extracted = out.at("x")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        _ = try Self.tar(["-xzf", bundle, "-C", extracted])
        let all = try Command.run("/bin/grep", ["-r", "-l", "-e", "PRIVATE KEY", "-e", "$6$salt", extracted])
        #expect(all.stdout.isEmpty, "secrets in the bundle: \(all.stdout)")
        let top = try #require(try FileManager.default.contentsOfDirectory(atPath: extracted).first)
        let manifest = try String(contentsOfFile: "\(extracted)/\(top)/MANIFEST.txt", encoding: .utf8)
        #expect(manifest.contains("\(KernelFacts.osReleasePaths[0]): it leads to /srv/ampfix-test/shadow through a symbolic link"), "\(manifest)")
        #expect(manifest.contains("\(SELinuxConfig.path): it leads to /srv/ampfix-test/.ssh/id_rsa through a symbolic link"), "\(manifest)")
        #expect(manifest.contains("/usr/lib/os-release: it leads to /srv/tls/server.key"), "\(manifest)")
        #expect(manifest.contains("\(ScanUserFault.loginDefsPath): cannot take \(root.at("etc/login.defs")): it has 2 hard links"), "\(manifest)")
        #expect(!manifest.contains("\u{1b}") && !manifest.contains("\u{202e}"), "\(manifest)")
        #expect(!manifest.split(separator: "\n").contains { $0.hasPrefix("forged") }, "no forged manifest line")
        #expect(manifest.contains("evil\\x1b[2J\\x0aforged: 0 bytes\\u{202e}gol.log"), "\(manifest)")
        let taken = try Data(contentsOf: URL(fileURLWithPath: "\(extracted)/\(top)/files/var/log/cisco/ampscansvc.log"))
        #expect(taken.count == SupportBundle.logTailLimit, "the last MiB is taken even without a line start in it")
        #expect(taken.suffix(8) == Data("the end\n".utf8))
        #expect(manifest.contains("no line starts in its last 1024 KiB: cut at a byte"), "\(manifest)")
    }

    /// An allow-list, not a filter: credentials under any name, a log directory that is a link,
    /// a log that is a hard link, os-release keys ampfix does not read and login.defs comments
    /// never leave the host (before, 190 of 265 secret placements were packed).
    @Test func aBundleTakesOnlyTheFilesItNamesWhereTheyAreNamed() throws {
        let marker = "AMPFIX-TEST-SECRET"
        let secrets = ["var/log/cisco/credentials": "aws_secret_access_key = \(marker)1\n",
                       "var/log/cisco/wpa_supplicant.conf": "network={\n psk=\"\(marker)2\"\n}\n",
                       "var/log/cisco/wg0.conf": "[Interface]\nPrivateKey = \(marker)3\n",
                       "var/log/cisco/.netrc": "machine x login y password \(marker)4\n",
                       "var/log/cisco/shadow.bak": "root:!$6$salt$\(marker)5:19000::::::\n",
                       "var/log/cisco/passwd.des": "root:ab\(marker)6:0:0::/root:/bin/sh\n",
                       "srv/creds/ampdaemon.log": "token \(marker)7\n"]
        func planted() throws -> TempRoot {
            let root = try SampleHost.build()
            for (path, text) in secrets { try root.write(path, text, mode: 0o600) }
            try root.append("etc/login.defs", String(repeating: "# x\n", count: 3) + "# \(marker)8 in a comment\n")
            try root.append("etc/os-release", "SUPPORT_TOKEN=\"\(marker)9\"\n")
            return root
        }
        func bundle(of root: TempRoot) throws -> (files: [String: String], manifest: String) {
            let out = TempRoot("bundle")
            let result = try AmpfixBinary.run(["collect", "--root", root.path, "--output", out.at("b.tgz")])
            try #require(result.status == 0, "\(result.stdout)\(result.stderr)")
            let extracted = out.at("x")
            try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
            _ = try Self.tar(["-xzf", out.at("b.tgz"), "-C", extracted])
            var files: [String: String] = [:]
            let top = try #require(try FileManager.default.contentsOfDirectory(atPath: extracted).first)
            let enumerator = try #require(FileManager.default.enumerator(atPath: "\(extracted)/\(top)"))
            while let name = enumerator.nextObject() as? String {
                if let text = try? String(contentsOfFile: "\(extracted)/\(top)/\(name)", encoding: .utf8) { files[name] = text }
            }
            return (files, files["MANIFEST.txt"] ?? "")
        }

        // Credentials under any name among the logs; a log that is a hard link to a file outside.
        let root = try planted()
        unlink(root.at("var/log/cisco/ampscansvc.log"))
        #expect(link(root.at("srv/creds/ampdaemon.log"), root.at("var/log/cisco/ampscansvc.log")) == 0)
        let (files, manifest) = try bundle(of: root)
        for (name, text) in files where name != "MANIFEST.txt" {
            #expect(!text.contains(marker), "\(name) holds a planted secret")
            #expect(Self.allowed(name), "\(name)")
        }
        #expect(files["files/var/log/cisco/ampdaemon.log"] != nil, "the connector's own log is still taken")
        #expect(files["files/etc/login.defs"]?.contains("USERGROUPS_ENAB") == true, "login.defs' settings are taken")
        #expect(files["files/etc/os-release"]?.contains("ID=") == true)
        #expect(manifest.contains("\(SupportBundle.logDirectory)/credentials: not one of the connector's logs by its name"), "\(manifest)")
        #expect(manifest.contains("\(ConnectorLogs.scanService): cannot take \(root.at("var/log/cisco/ampscansvc.log")): it has 2 hard links"), "\(manifest)")

        // The log directory, or /var/log, as a link to a directory of amp*.log files elsewhere.
        for (link, target) in [("var/log/cisco", "../../srv/creds"), ("var/log", "../srv/logs")] {
            let linked = try planted()
            try linked.makeDirectory("srv/logs/cisco")
            try linked.write("srv/logs/cisco/ampdaemon.log", "token \(marker)10\n", mode: 0o600)
            #expect(rename(linked.at(link), linked.at("srv/moved")) == 0)
            #expect(symlink(target, linked.at(link)) == 0)
            let (files, manifest) = try bundle(of: linked)
            #expect(!files.contains { $0.key != "MANIFEST.txt" && $0.value.contains(marker) }, "\(link) -> \(target): \(files.keys.sorted())")
            #expect(!files.keys.contains { $0.hasPrefix("files/var/log/") }, "\(files.keys.sorted())")
            #expect(manifest.contains("\(SupportBundle.logDirectory): it leads to "), "\(manifest)")
        }

        // A settings file past the limit is left out whole, not cut.
        let large = try planted()
        try large.append("etc/selinux/config", String(repeating: "# padding\n", count: 30_000))
        let (largeFiles, largeManifest) = try bundle(of: large)
        #expect(largeFiles["files/etc/selinux/config"] == nil)
        #expect(largeManifest.contains("it is larger than 256 KiB, the most a support bundle takes of a file like it"), "\(largeManifest)")
    }
}
