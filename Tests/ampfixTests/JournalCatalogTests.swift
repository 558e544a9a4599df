import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// The journal's message catalog: made by the binary from the faults' texts when the packages
/// are staged (packaging/stage.sh), and read by journalctl itself.
@Suite(.enabled(if: Programs.locate("msgfmt") != nil, "needs gettext's msgfmt (scripts/deps.sh installs it)"))
struct JournalCatalogTests {
    /// The catalog as the packages make it.
    static func made() throws -> CommandResult {
        let locale = try TranslationTests.compiledCatalogs()
        return try AmpfixBinary.run(["list", "--journal-catalog"], environment: ["AMPFIX_LOCALEDIR": locale.path])
    }

    /// Its Chinese entries' own words come from po/zh_CN.po (compiled as the packages do).
    @Test func theCatalogHasEveryEntryInBothLanguages() throws {
        let made = try Self.made()
        #expect(made.status == 0, "\(made.stderr)")
        // (Read from the .po itself: gettext in this process would set LANGUAGE for every
        // program the other tests run.)
        let po = try String(contentsOfFile: PackageLayout.root + "/po/zh_CN.po", encoding: .utf8)
        let translation = { (id: String) -> String? in
            po.components(separatedBy: "\nmsgid \"\(id)\"\nmsgstr \"").dropFirst().first?.components(separatedBy: "\"\n").first
        }
        let subject = try #require(translation("ampfix applied a change"))
        #expect(made.stdout.contains("-- \(JournalEntries.actionApplied) zh_CN\nSubject: \(subject)\n"), "\(subject)")
        let fault = try #require(translation("fault %1$s: %2$s"))
        let title = try #require(translation(FaultRegistry.standard.entry(.scanUserUnavailable).title))
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
        let made = try Self.made()
        try #require(made.status == 0, "\(made.stderr)")
        try made.stdout.write(toFile: root.at("usr/lib/systemd/catalog/ampfix.catalog"), atomically: false, encoding: .utf8)
        let update = try Command.run("/usr/bin/journalctl", ["--root=\(root.path)", "--update-catalog"])
        #expect(update.status == 0 && update.stderr.isEmpty, "\(update.stderr)")
        let listed = try Command.run("/usr/bin/journalctl", ["--root=\(root.path)", "--list-catalog"]).stdout
        for definition in FaultRegistry.standard.definitions {
            #expect(listed.contains("\(definition.journalMessageID) ampfix: fault \(definition.id): \(definition.english.title)\n"), "\(listed)")
        }
        let dump = try Command.run("/usr/bin/journalctl", ["--root=\(root.path)", "--dump-catalog", JournalEntries.actionFailed]).stdout
        #expect(dump.contains("Subject: ampfix could not apply or revert a change"), "\(dump)")
        // A fault's entries of every status share its MESSAGE_ID: the text names the entry's
        // status (journalctl -x fills @AMPFIX_STATUS@) before the "must be fixed" words.
        let five = try #require(FaultRegistry.standard.definition(.scanUserUnavailable))
        let fault = try Command.run("/usr/bin/journalctl", ["--root=\(root.path)", "--dump-catalog", five.journalMessageID]).stdout
        let lead = try #require(fault.range(of: "ampfix's diagnosis of this fault on this host: @AMPFIX_STATUS@ (present: its cause is here; ok: it is not;"), "\(fault)")
        let condition = try #require(fault.range(of: five.english.condition))
        #expect(lead.lowerBound < condition.lowerBound)
    }
}
