import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// The report's own words through gettext: po/zh_CN.po compiled with msgfmt, found through
/// AMPFIX_LOCALEDIR, chosen by --lang or the locale variables — on a host without a zh_CN locale.
@Suite(.enabled(if: Programs.locate("msgfmt") != nil, "needs gettext's msgfmt (scripts/deps.sh installs it)"))
struct TranslationTests {
    /// Two runs' words, the free disk space aside (other tests write to the same file system
    /// between them).
    static func steady(_ text: String) -> String {
        text.replacing(/disk: [0-9]+ MiB free/, with: "disk: N MiB free")
    }

    /// The catalogs compiled into a fresh directory, as the packages install them.
    static func compiledCatalogs() throws -> TempRoot {
        let locale = TempRoot()
        let made = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/po.sh", "compile", locale.path])
        #expect(made.status == 0, "\(made.stderr)")
        return locale
    }

    static let data = ["--policy-module", PackageLayout.policyModule, "--kernel-support", PackageLayout.root + "/data/kernel-support.tsv"]

    @Test func everyMessageOfTheCodeIsTranslatedAndTheCatalogsCompile() throws {
        let checked = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/po.sh", "check"])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
    }

    /// The fault catalog's texts come from the same catalogs as every other word: each fault's
    /// title, condition, steps and repairs are Chinese with --lang zh, a translation of each
    /// English text (not a copy), and the JSON's language says what was rendered.
    @Test func theFaultCatalogIsTranslatedThroughThePo() throws {
        let locale = try Self.compiledCatalogs()
        let decode = { (result: CommandResult) in try JSONDecoder().decode([CatalogEntry].self, from: Data(result.stdout.utf8)) }
        let english = try decode(try AmpfixBinary.run(["list", "--json"]))
        let chinese = try decode(try AmpfixBinary.run(["list", "--json", "--lang", "zh"], environment: ["AMPFIX_LOCALEDIR": locale.path]))
        #expect(english.map(\.id) == FaultID.allCases && chinese.map(\.id) == FaultID.allCases)
        let isChinese = { (text: String) in text.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }
        for (en, zh) in zip(english, chinese) {
            let pairs = [(en.title, zh.title), (en.condition, zh.condition)] + zip(en.resolution, zh.resolution).map { ($0, $1) }
                + zip(en.automaticRepairs, zh.automaticRepairs).map { ($0, $1) }
            #expect(en.resolution.count == zh.resolution.count && en.automaticRepairs.count == zh.automaticRepairs.count)
            for (english, chinese) in pairs {
                #expect(english != chinese && isChinese(chinese), "fault \(en.id): '\(english)' is not translated")
            }
        }
        let sample = try SampleHost.build()
        let report = try JSONDecoder().decode(Report.self, from: Data(try AmpfixBinary.run(["--root", sample.path, "--json", "--lang", "zh"] + Self.data,
                                                                                     environment: ["AMPFIX_LOCALEDIR": locale.path]).stdout.utf8))
        #expect(report.language == .zh)
        #expect(report.faults.allSatisfy { $0.titleMessage.rendered(UntranslatedText()) != $0.title && isChinese($0.title) })
        // A language without a catalog is rendered in English, and says so.
        let french = try JSONDecoder().decode(Report.self, from: Data(try AmpfixBinary.run(["--root", sample.path, "--json", "--lang", "fr"] + Self.data,
                                                                                     environment: ["AMPFIX_LOCALEDIR": locale.path]).stdout.utf8))
        #expect(french.language == .en, "rendered in English: no fr catalog")
    }

    @Test func theReportsOwnWordsAreChineseWithLangZh() throws {
        let locale = try Self.compiledCatalogs()
        let sample = try SampleHost.build()
        let english = try AmpfixBinary.run(["--root", sample.path] + Self.data)
        let chinese = try AmpfixBinary.run(["--root", sample.path, "--lang", "zh"] + Self.data, environment: ["AMPFIX_LOCALEDIR": locale.path])
        #expect(chinese.status == english.status)
        let lines = chinese.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "ampfix \(Self.version(english.stdout)) — \(sample.path) 的诊断", "\(chinese.stdout)")
        #expect(lines.contains("故障  状态                        标题"), "the table's header, aligned by terminal columns: \(chinese.stdout)")
        #expect(lines.contains { $0.hasPrefix("5     存在                        ") }, "\(chinese.stdout)")
        #expect(lines.contains { $0.hasPrefix("摘要：") && $0.contains("存在") && $0.contains("（用 --dry-run 预览）") }, "\(chinese.stdout)")
        #expect(lines.contains { $0.hasPrefix("      下一步：") })
        // The same report otherwise: as many lines; the evidence and steps in Chinese.
        let englishLines = english.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == englishLines.count)
        #expect(lines.contains("      - \(AccountDatabase.groupPath) 中缺少组 cisco-amp-scan-svc"), "\(chinese.stdout)")
        #expect(lines.contains("      - /opt/cisco/amp：权限 0700，属主 uid 0，应为 0755、属主 root"))
        #expect(lines.contains("      - 可疑文件：/home/build/cache/huge-archive.zip（在 2 次崩溃中被提及）"), "a plural form")
        #expect(lines.contains("      下一步：查明是什么更改了 /opt/cisco 的权限，并阻止其再次更改。"), "a step of ampfix's")
        #expect(lines.contains { $0.hasPrefix("      下一步：重新安装或升级连接器以安装 cisco-secure-bpf") }, "a step of the fault catalog")
    }

    /// --json follows --lang in its text; the messages beside it are the same in every language.
    @Test func theJSONReportsTextFollowsLangAndItsMessagesDoNot() throws {
        let locale = try Self.compiledCatalogs()
        let sample = try SampleHost.build()
        let decode = { (result: CommandResult) in try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)) }
        let english = try decode(try AmpfixBinary.run(["--root", sample.path, "--json"] + Self.data))
        let chinese = try decode(try AmpfixBinary.run(["--root", sample.path, "--json", "--lang", "zh"] + Self.data, environment: ["AMPFIX_LOCALEDIR": locale.path]))
        let messages = { (report: Report) in report.faults.map { $0.evidenceMessages.map { Self.steady($0.description) } } }
        #expect(messages(chinese) == messages(english))
        #expect(chinese.faults.map(\.manualStepMessages) == english.faults.map(\.manualStepMessages))
        #expect(chinese.faults[0].evidence.contains("\(AccountDatabase.passwdPath) 中缺少用户 cisco-amp-scan-svc"), "\(chinese.faults[0].evidence)")
        #expect(english.faults[0].evidence.contains("user cisco-amp-scan-svc missing from \(AccountDatabase.passwdPath)"))
    }

    /// A runtime error is one line in the asked language: ampfix's words from its catalog, the
    /// system's (strerror) in glibc's own translation where installed — never as "????".
    @Test func aRuntimeErrorIsSaidInTheLanguage() throws {
        let locale = try Self.compiledCatalogs()
        let sample = try SampleHost.build()
        // ampfix's own directory is a file: the repair cannot journal.
        // (The journal's parent, /var/lib/ampfix in the sample.)
        let own = sample.path + RootedFileSystem.parent(of: JournalDirectory.path)
        try? FileManager.default.removeItem(atPath: own)
        try FileManager.default.createDirectory(atPath: RootedFileSystem.parent(of: own), withIntermediateDirectories: true)
        try "not a directory\n".write(toFile: own, atomically: false, encoding: .utf8)
        let english = try AmpfixBinary.run(["--root", sample.path, "--fault", "5"] + Self.data)
        let chinese = try AmpfixBinary.run(["--root", sample.path, "--fault", "5", "--lang", "zh"] + Self.data, environment: ["AMPFIX_LOCALEDIR": locale.path])
        #expect(english.status == 2 && chinese.status == 2)
        #expect(english.stderr.contains("ampfix: error: cannot resolve \(own): "), "\(english.stderr)")
        #expect(chinese.stderr.contains("ampfix: 错误：无法解析 \(own)："), "\(chinese.stderr)")
        #expect(!chinese.stderr.contains("?"), "\(chinese.stderr)")
    }

    /// The Chinese man page is the English one with every paragraph from po/zh_CN.po (po4a):
    /// the packaged file is what `scripts/po.sh man` makes now, and groff reads it.
    @Test(.enabled(if: Programs.locate("po4a-translate") != nil, "needs po4a (scripts/deps.sh installs it)"))
    func theChineseManPageIsMadeFromTheSamePo() throws {
        let out = TempRoot("man")
        let made = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/po.sh", "man", out.path])
        #expect(made.status == 0, "\(made.stderr)")
        let page = try String(contentsOfFile: out.at("ampfix.zh_CN.8"), encoding: .utf8)
        #expect(try String(contentsOfFile: PackageLayout.root + "/packaging/ampfix.zh_CN.8", encoding: .utf8) == page,
                "packaging/ampfix.zh_CN.8 is stale: scripts/po.sh man")
        #expect(page.contains(".SH 名称") && page.contains(".SH 退出状态"), "\(page.prefix(600))")
        #expect(!page.contains("Print nothing but errors."), "a paragraph left in English")
        let groff = try Command.run("/bin/bash", ["-c", "groff -man -Tutf8 -z \"$0\" 2>&1 | grep -v \"can't break line\\|cannot adjust line\" || true", out.at("ampfix.zh_CN.8")])
        #expect(groff.stdout.isEmpty, "groff: \(groff.stdout)")
    }

    /// The broken sample's diagnosis, dry run, repair and undo in Chinese: no English sentence
    /// (three English words in a row) is left outside what is not ampfix's to translate —
    /// paths, names, numbers, commands, the connector's log lines, libclamav's own words, the
    /// system's name and the title of Cisco's guide.
    @Test func theSamplesWholeRunIsChineseEndToEnd() throws {
        let locale = try Self.compiledCatalogs()
        let sample = try SampleHost.build()
        let environment = ["AMPFIX_LOCALEDIR": locale.path]
        let base = ["--root", sample.path, "--lang", "zh"] + Self.data
        let diagnosis = try AmpfixBinary.run(base, environment: environment)
        let dryRun = try AmpfixBinary.run(base + ["--dry-run", "--all"], environment: environment)
        let repair = try AmpfixBinary.run(base + ["--all"], environment: environment)
        let run = try #require(repair.stdout.split(separator: " ").drop { $0 != "undo" }.dropFirst().first.map(String.init), "\(repair.stdout)")
        let undo = try AmpfixBinary.run(["undo", run, "--root", sample.path, "--lang", "zh"], environment: environment)
        #expect(undo.status == 0 && undo.stdout.contains("已撤销"), "\(undo.stdout)\(undo.stderr)")
        #expect(repair.stdout.contains("已应用：") && dryRun.stdout.contains("已计划："), "\(repair.stdout)")

        let foreign = try Self.notAmpfixsWords(sample)
        var found: [String] = []
        for output in [diagnosis, dryRun, repair, undo] {
            #expect(output.stderr.isEmpty || output.stderr.allSatisfy { !$0.isASCII || !$0.isLetter }, "\(output.stderr)")
            found += Self.englishLeft(output.stdout, foreign: foreign)
        }
        #expect(found.isEmpty, "English left in the Chinese report: \(found)")
        // The check can fail: the English report is full of such runs.
        let english = try AmpfixBinary.run(["--root", sample.path] + Self.data)
        #expect(Self.englishRuns(english.stdout).count > 20)
    }

    /// What goes wrong is said in Chinese too: a change that fails (an immutable directory), a
    /// run a crash interrupted (pending, then recovered), `undo --list`, `undo`, nothing left to
    /// undo, and a lock another process holds. Only the system's own words (strerror) and
    /// paths, names and commands stay as they are.
    @Test func whatGoesWrongIsSaidInChineseToo() throws {
        let locale = try Self.compiledCatalogs()
        let sample = try SampleHost.build()
        let environment = ["AMPFIX_LOCALEDIR": locale.path]
        let zh = ["--root", sample.path, "--lang", "zh"]
        var outputs: [(String, CommandResult)] = []

        // A repair whose directory change fails: the reason is the library's, in Chinese.
        let amp = sample.at("opt/cisco/amp")
        if let chattr = Programs.locate("chattr"), try Command.run(chattr, ["+i", amp]).status == 0 {
            defer { _ = try? Command.run(chattr, ["-i", amp]) }
            let failed = try AmpfixBinary.run(zh + ["--fault", "5"] + Self.data, environment: environment)
            #expect(failed.stdout.contains("失败：") && failed.stdout.contains("（无法更改权限，对象 \(amp)：") && failed.stdout.contains("（故障 5 的前一项更改失败）"),
                    "\(failed.stdout)\(failed.stderr)")
            outputs.append(("failed repair", failed))
            _ = try AmpfixBinary.run(["undo", "--root", sample.path], environment: environment)
        } else {
            print("skipped: the failing change (chattr +i is not supported where the sample root is)")
        }

        // A run killed after its first change: pending in a diagnosis, finished by undo.
        let crashed = try AmpfixBinary.run(["--root", sample.path, "--fault", "5"] + Self.data, environment: ["AMPFIX_TEST_CRASH_AFTER_ACTIONS": "1"])
        #expect(crashed.signaled, "\(crashed.stderr)")
        let pending = try AmpfixBinary.run(zh + Self.data, environment: environment)
        #expect(pending.stdout.contains("恢复：运行 ") && pending.stdout.contains("曾被中断；下一次修复或撤销会先完成它"), "\(pending.stdout)")
        let list = try AmpfixBinary.run(["undo", "--list"] + zh, environment: environment)
        #expect(list.stdout.contains("已中断"), "\(list.stdout)")
        let undo = try AmpfixBinary.run(["undo"] + zh, environment: environment)
        #expect(undo.stderr.contains("ampfix: 恢复：运行 ") && undo.stderr.contains("现已完成"), "\(undo.stderr)")
        #expect(undo.stdout.contains("已撤销："), "\(undo.stdout)")
        let listAfter = try AmpfixBinary.run(["undo", "--list"] + zh, environment: environment)
        let nothing = try AmpfixBinary.run(["undo"] + zh, environment: environment)
        #expect(nothing.stderr.contains("没有可撤销的内容"), "\(nothing.stderr)")
        outputs += [("pending recovery", pending), ("undo --list", list), ("undo", undo), ("undo --list after", listAfter), ("nothing to undo", nothing)]

        // A lock another process holds: the wait and the refusal.
        let lock = sample.path + RunLock.path
        try FileManager.default.createDirectory(atPath: RootedFileSystem.parent(of: lock), withIntermediateDirectories: true)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: try #require(Programs.locate("flock")))
        holder.arguments = ["-x", lock, "sleep", "20"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        usleep(300_000)
        let held = try AmpfixBinary.run(zh + ["--fault", "5", "--lock-timeout", "1"] + Self.data, environment: environment)
        #expect(held.status == 2 && held.stderr.contains("ampfix: 正在等待") && held.stderr.contains("ampfix: 错误：无法锁定 "), "\(held.stderr)")
        outputs.append(("held lock", held))

        let foreign = try Self.notAmpfixsWords(sample)
        for (what, output) in outputs {
            let found = Self.englishLeft(output.stdout + output.stderr, foreign: foreign)
            #expect(found.isEmpty, "English left in \(what): \(found)\n\(output.stdout)\(output.stderr)")
        }
    }

    /// Every command of ampfix speaks the language: --help of the tool and of each subcommand
    /// (the subcommands as --help lists them), usage errors (an unknown option, a bad fault id,
    /// options that exclude each other), list, explain, check, collect, package and sample.
    @Test func everyCommandAndItsHelpSpeakTheLanguage() throws {
        let locale = try Self.compiledCatalogs()
        let sample = try SampleHost.build()
        let out = TempRoot("bundle")
        let environment = ["AMPFIX_LOCALEDIR": locale.path]
        let zh = ["--lang", "zh"]
        let english = try AmpfixBinary.run(["--help"]).stdout
        let subcommands = english.components(separatedBy: "SUBCOMMANDS:\n").last?.split(separator: "\n")
            .prefix { $0.hasPrefix("  ") && !$0.hasPrefix("  See") }.filter { !$0.hasPrefix("   ") }.compactMap { $0.split(separator: " ").first.map(String.init) } ?? []
        #expect(subcommands.contains("undo") && subcommands.contains("check"), "\(subcommands)")
        var runs: [(String, [String])] = [("--help", ["--help"] + zh)]
        runs += subcommands.map { ("\($0) --help", [$0, "--help"] + zh) }
        runs += [("unknown option", ["--frob"] + zh), ("bad fault", ["--fault", "99"] + zh), ("both", ["--all", "--fault", "5"] + zh),
                 ("list", ["list"] + zh), ("explain", ["explain", "19"] + zh),
                 ("check", ["check", "--root", sample.path] + zh + Self.data),
                 ("preflight", ["preflight", "--root", sample.path, "--verbose"] + zh + Self.data),
                 ("preflight --fix --dry-run", ["preflight", "--root", sample.path, "--fix", "--dry-run"] + zh + Self.data),
                 ("collect", ["collect", "--root", sample.path, "-o", out.at("b.tar.gz")] + zh),
                 ("package", ["package", "bash"] + zh)]
        if geteuid() == 0 { runs.append(("sample", ["sample", "--seconds", "1"] + zh)) }
        // The product's name is a name.
        var foreign = try Self.notAmpfixsWords(sample) + ["Cisco Secure Endpoint Linux"]
        for (what, arguments) in runs {
            let result = try AmpfixBinary.run(arguments, environment: environment)
            let text = result.stdout + result.stderr
            #expect(!text.isEmpty, "\(what) said nothing")
            // What the sampler says of its kernel interfaces (fanotify, the proc connector) is theirs.
            if what == "sample" { foreign += text.split(separator: "\n").filter { $0.hasPrefix("文件事件：") || $0.hasPrefix("进程启动：") }.map(String.init) }
            let found = Self.englishLeft(text, foreign: foreign)
            #expect(found.isEmpty, "English left in \(what): \(found)\n\(text)")
        }
    }

    /// --lang is ampfix's only before `--` (what follows is the command's), a --lang that names
    /// no language is a usage error for every command (check: UNKNOWN), and a line on stderr
    /// stays one line whatever a path holds (a line break in a root's name is escaped).
    @Test func langIsAmpfixsBeforeTheTerminatorAndALineStaysALine() throws {
        let locale = try Self.compiledCatalogs()
        let environment = ["AMPFIX_LOCALEDIR": locale.path]
        let terminated = try AmpfixBinary.run(["list", "--lang", "--", "--lang", "zh"], environment: environment)
        #expect(terminated.status == 64 && terminated.stderr.hasPrefix("Error: Missing value for '--lang <LANG>'"), "\(terminated.stderr)")
        let sample = try SampleHost.build()
        for bad in ["--lang=", "--lang=../x"] {
            let check = try AmpfixBinary.run(["check", "--root", sample.path, bad] + Self.data, environment: environment)
            #expect(check.status == 3 && check.stdout.hasPrefix("AMPFIX UNKNOWN - --lang "), "\(bad): \(check.stdout)")
        }
        let root = TempRoot("line\nAMPFIX OK - forged")
        let undo = try AmpfixBinary.run(["undo", "--root", root.path, "--lang", "zh"], environment: environment)
        #expect(undo.stderr.contains("没有可撤销的内容") && undo.stderr.contains("\\x0aAMPFIX OK - forged"), "\(undo.stderr)")
        #expect(!undo.stderr.contains("\nAMPFIX OK"), "the root's line break did not start a line")
    }

    /// What is not ampfix's to translate in the sample's reports: the connector's log lines, the
    /// system's name, the guide's title, and the system's own error words (strerror).
    static func notAmpfixsWords(_ sample: TempRoot) throws -> [String] {
        var foreign = [KernelModuleFault.buildingGuide]
        let logs = sample.path + SupportBundle.logDirectory
        for name in try FileManager.default.contentsOfDirectory(atPath: logs) {
            let text = name.hasSuffix(".gz") ? try Command.run("/bin/gzip", ["-dc", logs + "/" + name]).stdout
                : try String(contentsOfFile: logs + "/" + name, encoding: .utf8)
            foreign += text.split(separator: "\n").map(String.init)
        }
        let osRelease = try String(contentsOfFile: sample.path + KernelFacts.osReleasePaths[0], encoding: .utf8)
        foreign += osRelease.split(separator: "\n").filter { $0.hasPrefix("PRETTY_NAME=") }.map { $0.dropFirst(12).trimmingCharacters(in: ["\""]) }
        return foreign + [EPERM, EROFS, ENOENT].map { String(cString: strerror($0)) }
    }

    /// The English runs left in `output`, line by line, once the words that are not ampfix's,
    /// libclamav's reasons and commands are taken out.
    static func englishLeft(_ output: String, foreign: [String]) -> [String] {
        let commands: Set<Substring> = ["systemctl", "ampfix", "semodule", "modprobe", "dkms", "usermod", "mokutil", "journalctl", "depmod", "sesearch"]
        return output.split(separator: "\n").flatMap { line -> [String] in
            var text = String(line)
            for words in foreign where !words.isEmpty { text = text.replacingOccurrences(of: words, with: "") }
            // libclamav's reason, after "not verified:", up to the next clause.
            if let start = text.range(of: "未验证：") {
                text = String(text[..<start.lowerBound]) + (text[start.upperBound...].firstIndex(of: "；").map { String(text[$0...]) } ?? "")
            }
            return englishRuns(text).filter { !commands.contains($0.split(separator: " ")[0]) }
        }
    }

    /// Runs of three or more English words ("no such file"); a word is a letter followed by
    /// lowercase letters or an apostrophe, so paths, options and names like RUN-ID break a run.
    static func englishRuns(_ text: String) -> [String] {
        var runs: [String] = [], run: [String] = [], word = ""
        func endWord(_ next: Character?) {
            let isWord = word.count >= 2 && word.first!.isLetter && word.dropFirst().allSatisfy { ($0.isLowercase && $0.isASCII) || $0 == "'" }
            if isWord && word.first!.isASCII { run.append(word) } else if !word.isEmpty || next != " " { endRun() }
            if !isWord && !word.isEmpty { endRun() }
            word = ""
        }
        func endRun() {
            if run.count >= 3 { runs.append(run.joined(separator: " ")) }
            run = []
        }
        for character in text {
            if character == " " { endWord(" ") } else if character.isLetter || character == "'" { word.append(character) } else { endWord(character); endRun() }
        }
        endWord(nil)
        endRun()
        return runs
    }

    @Test func theLocaleVariablesChooseTooInGlibcsOrder() throws {
        let locale = try Self.compiledCatalogs()
        let sample = try SampleHost.build()
        for (environment, chinese) in [(["LANG": "zh_CN.UTF-8"], true), (["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"], true),
                                       (["LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"], false)] {
            let result = try AmpfixBinary.run(["--root", sample.path] + Self.data, environment: environment.merging(["AMPFIX_LOCALEDIR": locale.path]) { $1 })
            #expect(result.stdout.contains("的诊断") == chinese, "\(environment): \(result.stdout.prefix(200))")
        }
    }

    @Test func withoutItsCatalogTheReportStaysEnglish() throws {
        let empty = TempRoot()
        let sample = try SampleHost.build()
        let english = try AmpfixBinary.run(["--root", sample.path] + Self.data)
        let missing = try AmpfixBinary.run(["--root", sample.path, "--lang", "zh"] + Self.data, environment: ["AMPFIX_LOCALEDIR": empty.path])
        #expect(missing.status == english.status)
        // The report's own words stay English (the fault titles and steps come from the catalog's
        // Chinese, which needs no gettext).
        let frame = { (text: String) in Self.steady(text).split(separator: "\n").filter { ["ampfix ", "FAULT ", "Summary: ", "      - "].contains(where: $0.hasPrefix) } }
        #expect(frame(missing.stdout) == frame(english.stdout), "\(missing.stdout)")
        #expect(frame(missing.stdout).count > 10)
    }

    /// A translator's whole contribution is one .po file: no Swift change, no new option value.
    @Test func aLanguageIsAddedWithOnePoFile() throws {
        let locale = TempRoot()
        let po = locale.at("de.po")
        try """
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=UTF-8\\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

        msgid "Diagnosis"
        msgstr "Diagnose"

        msgid "ampfix %1$s — %2$s of %3$s"
        msgstr "ampfix %1$s — %2$s von %3$s"

        msgid "present"
        msgstr "vorhanden"

        """.write(toFile: po, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: locale.at("de/LC_MESSAGES"), withIntermediateDirectories: true)
        let made = try Command.run(try #require(Programs.locate("msgfmt")), ["--check", "-o", locale.at("de/LC_MESSAGES/ampfix.mo"), po])
        #expect(made.status == 0, "\(made.stderr)")
        let sample = try SampleHost.build()
        for arguments in [["--lang", "de"], []] {
            let result = try AmpfixBinary.run(["--root", sample.path] + arguments + Self.data,
                                              environment: ["AMPFIX_LOCALEDIR": locale.path, "LANG": "de_DE.UTF-8"])
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "ampfix \(Self.version(result.stdout)) — Diagnose von \(sample.path)", "\(arguments): \(result.stdout)")
            #expect(lines.contains { $0.hasPrefix("5     vorhanden ") })
            // Untranslated words stay English; the fault texts too (the catalog has en and zh).
            #expect(lines.contains("FAULT STATUS                      TITLE"))
            #expect(lines.contains { $0.hasSuffix("Scan service user unavailable") })
            #expect(result.stderr.isEmpty, "\(result.stderr)")
        }
    }

    /// glibc opens the catalog and evaluates its Plural-Forms itself: before, a FIFO in place of
    /// ampfix.mo blocked every run, and `plural=n%(n-n)` killed ampfix with SIGFPE at its first
    /// plural (a repair too). Such a catalog is named and the words stay English — also where
    /// glibc would find it otherwise: a number that wraps to 0 as an unsigned long, a "plural="
    /// earlier in the header than Plural-Forms (glibc takes the first), the language's reduced
    /// name (zh for zh_CN).
    @Test(arguments: ["fifo", "division", "wrapping", "earlier", "reduced-name"])
    func aCatalogGlibcWouldHangOrDieOnIsNotUsed(kind: String) throws {
        let locale = TempRoot()
        let directory = locale.at((kind == "reduced-name" ? "zh" : "zh_CN") + "/LC_MESSAGES")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let mo = directory + "/ampfix.mo"
        if kind == "fifo" || kind == "reduced-name" {
            #expect(mkfifo(mo, 0o644) == 0)
        } else {
            let po = try String(contentsOfFile: PackageLayout.root + "/po/zh_CN.po", encoding: .utf8)
            let lines = po.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.hasPrefix("\"Plural-Forms:") else { return String(line) }
                switch kind {
                case "division": return "\"Plural-Forms: nplurals=2; plural=n%(n-n);\\n\""
                case "wrapping": return "\"Plural-Forms: nplurals=2; plural=n%18446744073709551616;\\n\""
                default: return "\"X-Note: plural=n%(n-n);\\n\"\n" + line
                }
            }
            try lines.joined(separator: "\n").write(toFile: locale.at("zh_CN.po"), atomically: true, encoding: .utf8)
            let made = try Command.run(try #require(Programs.locate("msgfmt")), ["-o", mo, locale.at("zh_CN.po")])
            try #require(made.status == 0, "\(made.stderr)")
        }
        let sample = try SampleHost.build()
        let english = try AmpfixBinary.run(["--root", sample.path] + Self.data)
        let asked = try AmpfixBinary.run(["--root", sample.path, "--lang", "zh"] + Self.data, timeout: 60, environment: ["AMPFIX_LOCALEDIR": locale.path])
        #expect(!asked.timedOut && asked.status == english.status, "\(kind): \(asked.status) \(asked.stderr)")
        #expect(asked.stderr.contains(mo + ": ") && asked.stderr.contains("ampfix's own words stay English"), "\(asked.stderr)")
        #expect(asked.stderr.contains(["fifo", "reduced-name"].contains(kind) ? "not a regular file" : "Plural-Forms expression"), "\(asked.stderr)")
    }

    @Test func aLanguageWithoutCatalogIsSaidOnceAndTheReportIsEnglish() throws {
        let empty = TempRoot()
        let sample = try SampleHost.build()
        let english = try AmpfixBinary.run(["--root", sample.path] + Self.data)
        let asked = try AmpfixBinary.run(["--root", sample.path, "--lang", "pt_BR"] + Self.data, environment: ["AMPFIX_LOCALEDIR": empty.path])
        #expect(Self.steady(asked.stdout) == Self.steady(english.stdout))
        #expect(asked.status == english.status)
        #expect(asked.stderr.contains("no pt_BR catalog of ampfix's own words (\(empty.path)/pt_BR/LC_MESSAGES/ampfix.mo): they stay English"), "\(asked.stderr)")
        // From the locale alone (set for other programs too), nothing is said.
        let quiet = try AmpfixBinary.run(["--root", sample.path] + Self.data, environment: ["AMPFIX_LOCALEDIR": empty.path, "LANG": "pt_BR.UTF-8"])
        #expect(Self.steady(quiet.stdout) == Self.steady(english.stdout) && quiet.stderr == english.stderr)
        for bad in ["../x", "zh/../../etc", "", "de.UTF-8", "1de"] {
            let refused = try AmpfixBinary.run(["list", "--lang", bad])
            #expect(refused.status == 64, "\(bad): \(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
    }

    @Test func undoAndExplainSpeakTheLanguageToo() throws {
        let locale = try Self.compiledCatalogs()
        let explained = try AmpfixBinary.run(["explain", "19", "--lang", "zh"], environment: ["AMPFIX_LOCALEDIR": locale.path])
        #expect(explained.stdout.hasPrefix("故障 19："), "\(explained.stdout)")
        #expect(explained.stdout.contains("ampfix 可自动修复："))
        let listed = try AmpfixBinary.run(["list", "--lang", "zh"], environment: ["AMPFIX_LOCALEDIR": locale.path])
        #expect(listed.stdout.split(separator: "\n").contains { $0.hasPrefix("5     修复     ") }, "\(listed.stdout)")
    }

    static func version(_ report: String) -> String {
        String(report.split(separator: " ")[1])
    }
}

@Suite struct PlaceholderTests {
    @Test func numberedPlaceholdersMayBeReordered() {
        #expect(UntranslatedText.fill("%2$s, then %1$s", ["a", "b"]) == "b, then a")
        #expect(UntranslatedText.fill("100%% of %1$s", ["x"]) == "100% of x")
        // A faulty translation shows its fault instead of crashing.
        #expect(UntranslatedText.fill("%3$s and %s and %", ["a"]) == "%3$s and %s and %")
        #expect(UntranslatedText.fill("no placeholders", ["a"]) == "no placeholders")
    }

    @Test func wideCharactersTakeTwoColumns() {
        #expect("存在".terminalWidth == 4)
        #expect("present".terminalWidth == 7)
        #expect("故障 19：".terminalWidth == 9)
    }
}
