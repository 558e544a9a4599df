import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// packaging/ampfix.catalog: made from the faults' texts, and read by journalctl itself.
@Suite struct JournalCatalogTests {
    static let file = PackageLayout.root + "/packaging/ampfix.catalog"

    /// Its Chinese entries' own words come from po/zh_CN.po (compiled as the packages do).
    @Test(.enabled(if: Programs.locate("msgfmt") != nil, "needs gettext's msgfmt (scripts/deps.sh installs it)"))
    func theShippedCatalogIsWhatTheBinaryMakes() throws {
        let locale = try TranslationTests.compiledCatalogs()
        let made = try AmpfixBinary.run(["list", "--journal-catalog"], environment: ["AMPFIX_LOCALEDIR": locale.path])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try String(contentsOfFile: Self.file, encoding: .utf8) == made.stdout,
                "packaging/ampfix.catalog is stale: scripts/po.sh compile DIR; AMPFIX_LOCALEDIR=DIR .build/debug/ampfix list --journal-catalog > packaging/ampfix.catalog")
        // (Read from the .po itself: gettext in this process would set LANGUAGE for every
        // program the other tests run.)
        let po = try String(contentsOfFile: PackageLayout.root + "/po/zh_CN.po", encoding: .utf8)
        let translation = { (id: String) -> String? in
            po.components(separatedBy: "\nmsgid \"\(id)\"\nmsgstr \"").dropFirst().first?.components(separatedBy: "\"\n").first
        }
        let subject = try #require(translation("ampfix applied a change"))
        #expect(made.stdout.contains("-- \(JournalEntries.actionApplied) zh_CN\nSubject: \(subject)\n"), "\(subject)")
        let fault = try #require(translation("fault %1$s: %2$s"))
        let title = FaultRegistry.standard.entry(.scanUserUnavailable, language: .zh).title
        #expect(made.stdout.contains("Subject: " + UntranslatedText.fill(fault, ["5", title]) + "\n"), "\(fault)")
        // Without the Chinese catalog it makes none, rather than one with English in its zh_CN entries.
        let without = try AmpfixBinary.run(["list", "--journal-catalog"], environment: ["AMPFIX_LOCALEDIR": TempRoot().path])
        #expect(without.status != 0 && without.stdout.isEmpty && without.stderr.contains("zh_CN"), "\(without.stderr)")
        let ids = FaultRegistry.standard.definitions.map(\.journalMessageID)
            + [JournalEntries.actionApplied, JournalEntries.actionFailed, JournalEntries.actionReverted]
        #expect(Set(ids).count == ids.count, "every MESSAGE_ID is its own")
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl"), "skipped: needs journalctl (Debian package systemd)"))
    func journalctlCompilesItAndListsEveryEntry() throws {
        let root = TempRoot("catalog")
        try FileManager.default.createDirectory(atPath: root.at("usr/lib/systemd/catalog"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.file, toPath: root.at("usr/lib/systemd/catalog/ampfix.catalog"))
        let update = try Command.run("/usr/bin/journalctl", ["--root=\(root.path)", "--update-catalog"])
        #expect(update.status == 0 && update.stderr.isEmpty, "\(update.stderr)")
        let listed = try Command.run("/usr/bin/journalctl", ["--root=\(root.path)", "--list-catalog"]).stdout
        for definition in FaultRegistry.standard.definitions {
            #expect(listed.contains("\(definition.journalMessageID) ampfix: fault \(definition.id): \(definition.english.title)\n"), "\(listed)")
        }
        let dump = try Command.run("/usr/bin/journalctl", ["--root=\(root.path)", "--dump-catalog", JournalEntries.actionFailed]).stdout
        #expect(dump.contains("Subject: ampfix could not apply or revert a change"), "\(dump)")
    }
}
