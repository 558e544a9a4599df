import AmpfixCore
import Testing

/// Report sentences as message ids with arguments (issue 26): what a literal becomes, how it
/// renders in English and in a translation, and its JSON.
@Suite struct MessageTests {
    /// A catalog of two messages, the way a .po file would give them.
    struct Catalog: Translating {
        var entries: [String: String]
        func text(_ message: String) -> String { entries[message] ?? message }
        func text(_ singular: String, _ plural: String, count: Int) -> String { entries[singular] ?? (count == 1 ? singular : plural) }
    }

    @Test func anInterpolatedLiteralIsAnIdWithNumberedPlaceholders() {
        let name = "cisco-amp-scan-svc", path = "/fixture/accounts", line = 12
        let message: Message = .msg("user \(name) missing from \(path):\(line)")
        #expect(message.id == "user %1$s missing from %2$s:%3$s")
        #expect(message.arguments == [.text(name), .text(path), .text("12")])
        #expect(message.description == "user cisco-amp-scan-svc missing from /fixture/accounts:12")
        let plain: Message = .msg("no run to undo")
        #expect(plain.id == "no run to undo" && plain.arguments.isEmpty)
    }

    /// A value or an error that has a message of ampfix's (a refusal, a reason) renders in the
    /// report's language inside another message; any other value or error in its own words.
    @Test func aValueWithAMessageRendersInTheLanguage() {
        struct Refused: Error, CustomStringConvertible, MessageConvertible {
            var message: Message { .msg("services are not managed here") }
            var description: String { message.description }
        }
        struct Plain: Error, CustomStringConvertible { var description: String { "services are not managed here" } }
        let chinese = Catalog(entries: ["services are not managed here": "此处不管理服务", "cannot restart: %1$s": "无法重启：%1$s"])
        #expect(Message.msg("cannot restart: \(Refused())").rendered(chinese) == "无法重启：此处不管理服务", "a value")
        let error: any Error = Refused()
        #expect(Message.msg("cannot restart: \(error)").rendered(chinese) == "无法重启：此处不管理服务", "an error")
        let plain: any Error = Plain()
        #expect(Message.msg("cannot restart: \(plain)").rendered(chinese) == "无法重启：services are not managed here")
        #expect(Message.msg("cannot restart: \(Plain())").rendered(chinese) == "无法重启：services are not managed here")
    }

    /// Clauses and the separators between them are messages: a language may punctuate "；".
    @Test func joinedClausesTakeTheLanguagesSeparator() {
        let joined = Message.joined([.msg("permission denied"), .verbatim("EPERM")], separator: "; ")
        #expect(joined.id == "%1$s%2$s%3$s" && joined.description == "permission denied; EPERM")
        #expect(joined.rendered(Catalog(entries: ["; ": "；", "permission denied": "权限不足"])) == "权限不足；EPERM")
    }

    @Test func aPercentInTheTextIsNotAPlaceholder() {
        let used = 97
        let message: Message = .msg("disk \(used)% full, 100% is the limit")
        #expect(message.id == "disk %1$s%% full, 100%% is the limit")
        #expect(message.description == "disk 97% full, 100% is the limit")
        // An argument with a percent sign or a placeholder-like text is shown as it is.
        let odd: Message = .msg("file \("50%1$s")")
        #expect(odd.description == "file 50%1$s")
    }

    @Test func aTranslationMayReorderAndNestedMessagesFollowTheLanguage() {
        let reason: Message = .msg("permission denied")
        let message: Message = .msg("cannot read \("/fixture/secret"): \(reason)")
        #expect(message.ids == ["cannot read %1$s: %2$s", "permission denied"])
        let chinese = Catalog(entries: ["cannot read %1$s: %2$s": "%2$s：无法读取 %1$s", "permission denied": "权限不足"])
        #expect(message.rendered(chinese) == "权限不足：无法读取 /fixture/secret")
        #expect(Message.verbatim("ampcli: 100% done").rendered(chinese) == "ampcli: 100% done", "verbatim text is never looked up")
    }

    @Test func aPluralChoosesItsFormAndBothFormsShareTheArguments() throws {
        func moves(_ count: Int) -> Message {
            .plural(count, "moves the broken file to \("/fixture/quarantine")", "moves the \(count) broken files to \("/fixture/quarantine")")
        }
        // The singular leaves the count out: its placeholder is renumbered to the plural's.
        #expect(moves(1).id == "moves the broken file to %2$s")
        #expect(moves(1).plural?.id == "moves the %1$s broken files to %2$s")
        #expect(moves(1).description == "moves the broken file to /fixture/quarantine")
        #expect(moves(3).description == "moves the 3 broken files to /fixture/quarantine")
        #expect(moves(1).ids == ["moves the broken file to %2$s", "moves the %1$s broken files to %2$s"])
        // A language with one form (Chinese) gives one text for every count.
        let chinese = Catalog(entries: ["moves the broken file to %2$s": "将 %1$s 个损坏的文件移到 %2$s"])
        #expect(moves(3).rendered(chinese) == "将 3 个损坏的文件移到 /fixture/quarantine")
        let back = try JSONCoding.decode(Message.self, from: Array(try JSONCoding.text(moves(3), pretty: false).utf8))
        #expect(back == moves(3))
    }

    @Test func joinedClausesKeepTheirSeparator() {
        let parts: [Message] = [.msg("SELinux is \("enforcing")"), .msg("policy \("targeted")")]
        let line = Message.joined(parts, separator: "; ")
        #expect(line.description == "SELinux is enforcing; policy targeted")
        #expect(Message.joined([], separator: "; ").description == "")
    }

    @Test func jsonCarriesIdAndArgumentsAndReadsBack() throws {
        let message: Message = .msg("cannot read \("/fixture/secret"): \(Message.msg("permission denied"))")
        let text = try JSONCoding.text(message, pretty: false)
        #expect(text.contains(#""id":"cannot read %1$s: %2$s""#) && text.contains(#"{"arguments":[],"id":"permission denied"}"#)
                && text.contains("secret\","), "\(text)")
        let back = try JSONCoding.decode(Message.self, from: Array(text.utf8))
        #expect(back == message)
    }
}
