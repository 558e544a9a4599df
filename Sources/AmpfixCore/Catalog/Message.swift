/// A sentence of the report kept as what a translator and a fleet need: a message id (its English
/// text with numbered placeholders, `user %1$s missing from %2$s`) and its arguments (paths,
/// names, numbers, the connector's words — never translated). Written as a marked interpolated
/// literal, `.msg("user \(name) missing from \(path)")` is that id with those two arguments.
/// The mark is what `scripts/po.sh extract` finds (with `.plural`'s two literals), and the only
/// way to make a message of a literal: a bare string literal is not one, so the compiler refuses
/// a sentence the catalog would never see (`init(id:)` is for decoding and tests). An argument may itself be a message (a reason inside a
/// sentence); it is rendered in the same language.
public struct Message: Sendable, Hashable, CustomStringConvertible {
    public enum Argument: Sendable, Hashable {
        case text(String)
        case message(Message)
    }

    public var id: String
    public var arguments: [Argument]
    /// For a message whose words depend on a number (gettext's ngettext): the English plural
    /// form's id and the number that chooses the form.
    public var plural: Plural?

    public struct Plural: Sendable, Hashable, Codable {
        public var id: String
        public var count: Int
    }

    public init(id: String, arguments: [Argument] = [], plural: Plural? = nil) {
        self.id = id
        self.arguments = arguments
        self.plural = plural
    }

    /// `one` or `other` by `count`, in the language's plural rules: `.plural(n, "\(n) crash line",
    /// "\(n) crash lines")`. As with ngettext, both forms take `other`'s arguments: `one` may
    /// leave some out ("the broken file" for "the \(n) broken files"), and its placeholders are
    /// renumbered to point at the same arguments in `other`.
    public static func plural(_ count: Int, _ one: Literal, _ other: Literal) -> Message {
        var unused = Array(other.arguments.indices)
        var numbers: [Int: Int] = [:]
        for (index, argument) in one.arguments.enumerated() {
            guard let match = unused.firstIndex(where: { other.arguments[$0] == argument }) else {
                preconditionFailure("the singular of '\(other.id)' has an argument the plural lacks")
            }
            numbers[index + 1] = unused.remove(at: match) + 1
        }
        return Message(id: renumbering(one.id, numbers), arguments: other.arguments, plural: Plural(id: other.id, count: count))
    }

    /// A sentence of ampfix's: `.msg("user \(name) missing from \(path)")`.
    public static func msg(_ literal: Literal) -> Message {
        Message(id: literal.id, arguments: literal.arguments)
    }

    /// `id` with each `%N$s` replaced by `%M$s`, M = `numbers[N]`.
    static func renumbering(_ id: String, _ numbers: [Int: Int]) -> String {
        guard numbers.contains(where: { $0.key != $0.value }) else { return id }
        return UntranslatedText.replacingPlaceholders(id, escape: "%%") { "%\(numbers[$0] ?? $0)$s" }
    }

    /// Text that is not a message of ampfix's (a line from the connector, a library's error): one
    /// placeholder, so a translation never sees it and it is shown as it is.
    public static func verbatim(_ text: String) -> Message {
        Message(id: "%1$s", arguments: [.text(text)])
    }

    /// An error as its message when it has one (ampfix's own), else in its own words.
    public static func of(_ error: any Error) -> Message {
        (error as? any MessageConvertible)?.message ?? .verbatim("\(error)")
    }

    /// `parts` one after another with `separator` between them ("; "): a list of clauses, each
    /// a message of its own. The separator is a message too (a language may punctuate "；"),
    /// so the id is placeholders only: parts and separators in turn.
    public static func joined(_ parts: [Message], separator: String) -> Message {
        let comma = Argument.message(Message(id: escaping(separator)))
        let arguments = parts.enumerated().flatMap { index, part in index == 0 ? [Argument.message(part)] : [comma, .message(part)] }
        return Message(id: arguments.indices.map { "%\($0 + 1)$s" }.joined(), arguments: arguments)
    }

    /// The literal a message is written as (only inside `.msg(…)` and `.plural(…)`): its
    /// interpolations become numbered placeholders and arguments.
    public struct Literal: ExpressibleByStringInterpolation {
        let id: String
        let arguments: [Argument]

        public init(stringLiteral value: String) {
            id = Message.escaping(value)
            arguments = []
        }

        public init(stringInterpolation: StringInterpolation) {
            id = stringInterpolation.id
            arguments = stringInterpolation.arguments
        }
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var id = ""
        var arguments: [Argument] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            id.reserveCapacity(literalCapacity + 4 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            id += Message.escaping(literal)
        }

        public mutating func appendInterpolation(_ message: Message) {
            append(.message(message))
        }

        /// A value in its own words; one that has a message (a refusal, a reason) in the
        /// report's language.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            append((value as? any MessageConvertible).map { .message($0.message) } ?? .text(value.description))
        }

        /// Words that are not ampfix's (a connector's log line, its fault text): an argument
        /// shown as it is, never looked up in a catalog.
        public mutating func appendInterpolation(verbatim text: String) {
            append(.text(text))
        }

        /// An error, in its own words (a library's or the system's), or as its message when
        /// it has one (ampfix's own refusals).
        public mutating func appendInterpolation(_ error: any Error) {
            append(.message(.of(error)))
        }

        mutating func append(_ argument: Argument) {
            arguments.append(argument)
            id += "%\(arguments.count)$s"
        }
    }

    /// `%` in a literal is `%%` in the id, as gettext's c-format has it.
    static func escaping(_ literal: String) -> String {
        literal.contains("%") ? literal.split(separator: "%", omittingEmptySubsequences: false).joined(separator: "%%") : literal
    }

    /// The message in the language of `translation`, its arguments filled in.
    public func rendered(_ translation: any Translating) -> String {
        let filled = arguments.map { argument in
            switch argument {
            case .text(let text): text
            case .message(let message): message.rendered(translation)
            }
        }
        let template = plural.map { translation.text(id, $0.id, count: $0.count) } ?? translation.text(id)
        return UntranslatedText.fill(template, filled)
    }

    /// English.
    public var description: String { rendered(UntranslatedText()) }

    /// Every message id this one uses, itself first (what a catalog must translate).
    public var ids: [String] {
        [id] + (plural.map { [$0.id] } ?? []) + arguments.flatMap { argument -> [String] in
            if case .message(let message) = argument { return message.ids }
            return []
        }
    }
}

/// A value whose words are ampfix's own (a refusal, a reason something was not asked): a
/// message interpolates it as that message, in the report's language, not as its English text.
public protocol MessageConvertible {
    var message: Message { get }
}

extension Message: Codable {
    /// `{"id": "user %1$s missing from %2$s", "arguments": ["cisco-amp-scan-svc", "/etc/passwd"]}`;
    /// a message argument is an object of the same shape.
    private enum Keys: String, CodingKey { case id, arguments, plural }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(plural, forKey: .plural)
        var list = container.nestedUnkeyedContainer(forKey: .arguments)
        for argument in arguments {
            switch argument {
            case .text(let text): try list.encode(text)
            case .message(let message): try list.encode(message)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        id = try container.decode(String.self, forKey: .id)
        plural = try container.decodeIfPresent(Plural.self, forKey: .plural)
        var list = try container.nestedUnkeyedContainer(forKey: .arguments)
        arguments = []
        while !list.isAtEnd {
            arguments.append(try list.decode(Argument.self))
        }
    }
}

extension Message.Argument: Decodable {
    /// A string, or a message object.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .text(text)
        } else {
            self = .message(try Message(from: decoder))
        }
    }
}
