import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// po/ampfix.pot holds what the code says: scripts/po-extract.py reads the messages out of the
/// Swift sources (.msg, .plural, t), and every message a report carries is one of them.
@Suite(.enabled(if: Programs.locate("python3") != nil, "needs python3 (scripts/deps.sh installs it)"))
struct MessageCatalogTests {
    static let extractor = PackageLayout.root + "/scripts/po-extract.py"

    /// The msgids of a template or catalog written by the extractor (one line each).
    static func messageIDs(_ pot: String) throws -> Set<String> {
        let text = try String(contentsOfFile: pot, encoding: .utf8)
        var ids = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix("msgid \"") || line.hasPrefix("msgid_plural \"") {
            let quoted = line.drop { $0 != "\"" }.dropFirst().dropLast()
            var id = "", escaped = false
            for character in quoted {
                if escaped {
                    id.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else {
                    id.append(character)
                }
            }
            ids.insert(id)
        }
        return ids
    }

    /// An id that is only placeholders and punctuation (a verbatim line, clauses joined by "; ")
    /// has nothing to translate.
    static func hasWords(_ id: String) -> Bool {
        UntranslatedText.fill(id, Array(repeating: "", count: 20)).contains { $0.isLetter }
    }

    @Test func everyMessageOfTheSamplesReportsIsInTheTemplate() throws {
        let template = try Self.messageIDs(PackageLayout.root + "/po/ampfix.pot")
        let data = TranslationTests.data
        var used: [String: String] = [:]
        for arguments in [[], ["--dry-run", "--all"], ["--all"]] {
            let sample = try SampleHost.build()
            let result = try AmpfixBinary.run(["--root", sample.path, "--json"] + arguments + data)
            let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
            for fault in report.faults {
                // The fault catalog's titles and steps too: they are messages of the catalogs now.
                for message in [fault.titleMessage] + fault.evidenceMessages + fault.manualStepMessages {
                    for id in message.ids { used[id] = "fault \(fault.id) (\(arguments)): \(message)" }
                }
            }
        }
        #expect(used.count > 60, "\(used.count) messages")
        for (id, seen) in used.sorted(by: { $0.key < $1.key }) where Self.hasWords(id) {
            #expect(template.contains(id), "not in po/ampfix.pot (scripts/po.sh extract): '\(id)', in \(seen)")
        }
    }

    /// The extractor on Swift that has what the sources have: nested literals inside an
    /// interpolation, %, plural forms whose singular leaves an argument out, comments.
    @Test func theExtractorReadsSwiftsOwnSyntax() throws {
        let work = TempRoot()
        try #"""
        // .msg("in a comment: not a message")
        /* a block comment with .msg("nor this") /* nested */ */
        let a: Message = .msg("user \(name) missing from \(AccountDatabase.passwdPath)")
        let b = Message.msg("Move \(check.path) out (it is broken: \(check.problem ?? "")) and 100% \("x")")
        // TRANSLATORS: the count is %1$s
        let c = Message.plural(count, "a repair moves the broken file to \(path)", "a repair moves the \(count) broken files to \(path)")
        let d = t("Fault %1$s: %2$s", "\(id)", title)
        let e = "a string, no message: \(x)"
        let f = .msg("escapes: \"quoted\" and a\\backslash")
        let g = Message.msg("cannot read \(p): \(Message.msg("inner \(x) message"))")
        let h = "plain \(t("after a nested one"))"
        """#.write(toFile: work.at("Sample.swift"), atomically: true, encoding: .utf8)
        let made = try Command.run(try #require(Programs.locate("python3")), [Self.extractor, work.at("out.pot"), work.at("Sample.swift")])
        #expect(made.status == 0, "\(made.stderr)")
        let ids = try Self.messageIDs(work.at("out.pot"))
        #expect(ids == ["", "user %1$s missing from %2$s", "Move %1$s out (it is broken: %2$s) and 100%% %3$s",
                        "a repair moves the broken file to %2$s", "a repair moves the %1$s broken files to %2$s",
                        "Fault %1$s: %2$s", #"escapes: "quoted" and a\backslash"#, "cannot read %1$s: %2$s", "inner %1$s message",
                        "after a nested one"], "\(ids)")
        let pot = try String(contentsOfFile: work.at("out.pot"), encoding: .utf8)
        #expect(pot.contains("#. TRANSLATORS: the count is %1$s\n#, c-format\nmsgid \"a repair moves the broken file to %2$s\"\nmsgid_plural"), "\(pot)")
        // The id a literal makes at run time is the id extracted.
        let count = 3, path = "/q"
        #expect(Message.plural(count, "a repair moves the broken file to \(path)", "a repair moves the \(count) broken files to \(path)").id
                == "a repair moves the broken file to %2$s")
    }

    @Test func aMessageThatIsNotALiteralIsRefusedByName() throws {
        let work = TempRoot()
        try "let m = Message.msg(literal)\n".write(toFile: work.at("Bad.swift"), atomically: true, encoding: .utf8)
        let refused = try Command.run(try #require(Programs.locate("python3")), [Self.extractor, work.at("out.pot"), work.at("Bad.swift")])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(work.at("Bad.swift")):1: .msg takes a string literal"), "\(refused.stderr)")
    }
}
